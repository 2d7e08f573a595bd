//! LLM judge over any OpenAI-compatible endpoint: client, prompts, verdicts, cache, retry policy.
