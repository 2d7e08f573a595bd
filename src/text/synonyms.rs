//! The domain synonym list: groups of phrases that mean the same thing in an interview answer
//! (hash map ≈ dictionary ≈ hash table, O(1) ≈ constant time, DLQ ≈ dead-letter queue).
//!
//! Maintained by hand. Each group's first phrase is its canonical name.

/// Groups of equivalent phrases, lowercase; the first of each group is canonical.
pub const GROUPS: &[&[&str]] = &[
    &[
        "hash map",
        "hashmap",
        "hash table",
        "hashtable",
        "dictionary",
        "dict",
        "map",
    ],
    &["o(1)", "constant time", "constant-time"],
    &["o(log n)", "logarithmic time", "logarithmic"],
    &["o(n)", "linear time", "linear"],
    &["o(n log n)", "linearithmic", "n log n"],
    &["o(n^2)", "quadratic time", "quadratic", "o(n2)"],
    &["dead-letter queue", "dead letter queue", "dlq"],
    &[
        "doubly linked list",
        "doubly-linked list",
        "double linked list",
        "dll",
    ],
    &["least recently used", "lru"],
    &["time to live", "ttl", "expiry", "expiration"],
    &["load balancer", "load balancing", "lb"],
    &["content delivery network", "cdn"],
    &[
        "message queue",
        "message broker",
        "queue",
        "kafka",
        "rabbitmq",
        "sqs",
    ],
    &["consistent hashing", "hash ring"],
    &["read replica", "replica", "follower"],
    &["sharding", "partitioning", "shard", "partition"],
    &["circuit breaker", "circuit-breaker"],
    &[
        "post-mortem",
        "postmortem",
        "post mortem",
        "retrospective",
        "retro",
    ],
    &["service level objective", "slo"],
    &["mutex", "lock", "mutual exclusion"],
    &["breadth-first search", "breadth first search", "bfs"],
    &["depth-first search", "depth first search", "dfs"],
];

/// The group a phrase belongs to (case-insensitive, whole phrase), if any.
pub fn group_of(phrase: &str) -> Option<&'static [&'static str]> {
    let lower = phrase.trim().to_lowercase();
    GROUPS.iter().copied().find(|g| g.contains(&lower.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_lowercase_and_non_empty() {
        for group in GROUPS {
            assert!(!group.is_empty());
            for phrase in *group {
                assert_eq!(*phrase, phrase.to_lowercase());
            }
        }
    }

    #[test]
    fn finds_the_group_of_an_alias() {
        assert_eq!(group_of("Hash Table").map(|g| g[0]), Some("hash map"));
        assert_eq!(group_of("DLQ").map(|g| g[0]), Some("dead-letter queue"));
        assert!(group_of("banana").is_none());
    }
}
