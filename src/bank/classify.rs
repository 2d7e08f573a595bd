//! Naming and classifying: slugs for banks and sections, a section's default [`Kind`], and the
//! Situation/Task/Action/Result story check that makes a question behavioural wherever it sits.

use super::Kind;

/// Well-known section themes: (words that identify the theme, slug, default kind), checked in order.
const THEMES: &[(&[&str], &str, Kind)] = &[
    (&["behavio"], "behavioural", Kind::Behavioural),
    (&["data structure", "algorithm"], "dsa", Kind::Algorithm),
    (&["design", "architecture"], "design", Kind::Design),
    (&["coding", "debugging", "code"], "coding", Kind::Coding),
    (&["concept", "fundamental"], "concepts", Kind::Concept),
];

/// Words dropped when turning a free-form section title into a slug.
const FILLER: &[&str] = &[
    "and",
    "the",
    "of",
    "questions",
    "question",
    "section",
    "a",
    "an",
];

/// Turns any text into a slug: lowercase ASCII letters and digits joined by `-`.
pub fn slugify(text: &str) -> String {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            w.chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect();
    let kept: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .filter(|w| !FILLER.contains(w))
        .collect();
    if kept.is_empty() {
        words.join("-")
    } else {
        kept.join("-")
    }
}

/// The slug of a section title: a short well-known slug for the usual themes
/// (`System Design` → `design`), otherwise the slugified title, never one already in `taken`.
pub fn section_slug(title: &str, taken: &[String]) -> String {
    let free = |slug: &str| !taken.iter().any(|t| t == slug);
    if let Some((_, slug, _)) = theme(title) {
        if free(slug) {
            return slug.to_string();
        }
    }
    let base = match slugify(title) {
        s if s.is_empty() => "section".to_string(),
        s => s,
    };
    if free(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|s| free(s))
        .unwrap_or(base)
}

/// The kind a section's questions get by default, judged from its title or slug; `Concept`
/// when the title names no known theme.
pub fn section_kind(title_or_slug: &str) -> Kind {
    theme(title_or_slug).map_or(Kind::Concept, |(_, _, kind)| *kind)
}

fn theme(title: &str) -> Option<&'static (&'static [&'static str], &'static str, Kind)> {
    let lower = title.to_lowercase();
    if lower.trim() == "dsa" {
        return THEMES.iter().find(|(_, slug, _)| *slug == "dsa");
    }
    THEMES
        .iter()
        .find(|(words, _, _)| words.iter().any(|w| lower.contains(w)))
}

/// The kind of a question: behavioural when its model answer tells a STAR story, else `default`.
pub fn question_kind(default: Kind, model_answer: &str) -> Kind {
    if is_star_story(model_answer) {
        Kind::Behavioural
    } else {
        default
    }
}

/// True when at least three of the Situation/Task/Action/Result labels open a line of the answer
/// (`Situation: …`, `**Task:** …`, `- Action: …`).
pub fn is_star_story(answer: &str) -> bool {
    let mut seen = [false; 4];
    for line in answer.lines() {
        let start = line
            .trim_start()
            .trim_start_matches(['-', '*', '#', ' '])
            .to_lowercase();
        for (i, label) in ["situation", "task", "action", "result"].iter().enumerate() {
            if let Some(rest) = start.strip_prefix(label) {
                if rest.trim_start_matches(['*', ' ']).starts_with(':') {
                    seen[i] = true;
                }
            }
        }
    }
    seen.iter().filter(|s| **s).count() >= 3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usual_sections_get_short_slugs_and_kinds() {
        let cases = [
            ("Core Concepts", "concepts", Kind::Concept),
            ("Data Structures and Algorithms", "dsa", Kind::Algorithm),
            ("System Design", "design", Kind::Design),
            ("Coding and Debugging", "coding", Kind::Coding),
            ("Behavioral Questions", "behavioural", Kind::Behavioural),
        ];
        for (title, slug, kind) in cases {
            assert_eq!(section_slug(title, &[]), slug, "{title}");
            assert_eq!(section_kind(title), kind, "{title}");
            assert_eq!(section_kind(slug), kind, "{slug}");
        }
    }

    #[test]
    fn other_sections_are_slugified_and_never_collide() {
        assert_eq!(section_slug("SQL & Databases", &[]), "sql-databases");
        assert_eq!(section_kind("SQL & Databases"), Kind::Concept);
        let taken = vec!["design".to_string()];
        assert_eq!(section_slug("API Design", &taken), "api-design");
        let taken = vec!["api-design".to_string(), "design".to_string()];
        assert_eq!(section_slug("API Design", &taken), "api-design-2");
        assert_eq!(section_slug("!!!", &[]), "section");
    }

    #[test]
    fn star_story_needs_three_labels() {
        let story = "Situation: a\n\nTask: b\n\n**Action:** c\n\nResult: d";
        assert!(is_star_story(story));
        assert!(!is_star_story(
            "Situation: a\nThe task was hard.\nResult: d"
        ));
        assert_eq!(question_kind(Kind::Design, story), Kind::Behavioural);
        assert_eq!(question_kind(Kind::Design, "Use a cache."), Kind::Design);
    }
}
