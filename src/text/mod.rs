//! Text processing shared by rubric extraction and grading: normalise, tokenise, stem, synonyms, sentences.
