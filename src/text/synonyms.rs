//! The domain synonym list: groups of phrases that mean the same thing in an interview answer
//! (hash map ≈ dictionary ≈ hash table, O(1) ≈ constant time, DLQ ≈ dead-letter queue).
//!
//! Maintained by hand. Each group's first phrase is its canonical name. Groups are disjoint
//! (a phrase belongs to at most one group; a test checks it), lowercase, and cover data
//! structures, complexity, distributed systems, reliability, delivery, security and
//! process/leadership vocabulary. Avoid phrases so generic that they would match unrelated
//! answers (a bare "queue" or "set").

use std::collections::HashMap;
use std::sync::OnceLock;

/// Groups of equivalent phrases, lowercase; the first of each group is canonical.
pub const GROUPS: &[&[&str]] = &[
    // ---- data structures ----
    &[
        "hash map",
        "hashmap",
        "hash table",
        "hashtable",
        "dictionary",
        "dict",
        "map",
        "associative array",
        "unordered_map",
    ],
    &["hash set", "hashset", "set data structure", "unordered_set"],
    &[
        "doubly linked list",
        "doubly-linked list",
        "double linked list",
        "dll",
    ],
    &["linked list", "singly linked list", "singly-linked list"],
    &["binary search tree", "bst"],
    &[
        "self-balancing tree",
        "self-balancing bst",
        "self balancing tree",
        "balanced bst",
        "balanced binary search tree",
        "balanced tree",
    ],
    &["red-black tree", "red black tree", "rb tree"],
    &["avl tree", "avl"],
    &["min-heap", "min heap", "minheap"],
    &["max-heap", "max heap", "maxheap"],
    &["priority queue", "heap", "binary heap", "heapq"],
    &["trie", "prefix tree", "radix tree"],
    &[
        "stack",
        "lifo",
        "last in first out",
        "last-in first-out",
        "last-in-first-out",
    ],
    &[
        "fifo",
        "first in first out",
        "first-in first-out",
        "first-in-first-out",
    ],
    &[
        "dynamic array",
        "resizable array",
        "growable array",
        "arraylist",
        "array list",
    ],
    &["bloom filter", "bloom filters"],
    &["skip list", "skiplist", "skip lists"],
    &["inverted index", "inverted indices", "inverted indexes"],
    &["posting list", "posting lists", "postings"],
    &["adjacency list", "adjacency lists"],
    &[
        "sentinel node",
        "sentinel nodes",
        "dummy node",
        "dummy nodes",
    ],
    &["sorted set", "sorted sets", "zset"],
    &[
        "ordereddict",
        "ordered dict",
        "ordered dictionary",
        "linkedhashmap",
    ],
    // ---- algorithms and techniques ----
    &[
        "move to front",
        "move to head",
        "move to the front",
        "move to the head",
        "bring to front",
        "move it to the front",
        "move it to the head",
    ],
    &[
        "evict from the tail",
        "evict the tail",
        "remove the tail",
        "remove from tail",
        "remove from the tail",
        "drop the tail",
        "evict the least recently used",
        "remove the least recently used",
    ],
    &["least recently used", "lru"],
    &["least frequently used", "lfu"],
    &["sliding window", "moving window", "rolling window"],
    &[
        "two pointers",
        "two-pointer",
        "two pointer",
        "two-pointer technique",
        "two pointer technique",
    ],
    &[
        "fast and slow pointers",
        "slow and fast pointers",
        "tortoise and hare",
        "floyd's algorithm",
        "floyd cycle detection",
        "floyd's cycle detection",
    ],
    &["breadth-first search", "breadth first search", "bfs"],
    &["depth-first search", "depth first search", "dfs"],
    &[
        "level-order traversal",
        "level order traversal",
        "level by level",
        "level-by-level",
    ],
    &[
        "topological sort",
        "topological sorting",
        "topological order",
        "topo sort",
    ],
    &["dynamic programming", "dp"],
    &["memoization", "memoisation", "memoize", "memoise"],
    &["binary search", "bisection"],
    &["divide and conquer", "divide-and-conquer"],
    &["greedy algorithm", "greedy approach", "greedy"],
    &["backtracking", "backtrack"],
    &["recursion", "recursive", "recursively"],
    &["iterative", "iteratively", "without recursion"],
    &["in-place", "in place"],
    &["single pass", "one pass", "single-pass", "one-pass"],
    &["nested loop", "nested loops", "brute force", "brute-force"],
    &["complement", "target minus"],
    &["rotation", "rotations", "tree rotation", "tree rotations"],
    &[
        "prefix search",
        "prefix searches",
        "prefix queries",
        "prefix lookup",
    ],
    &[
        "autocomplete",
        "auto-complete",
        "autocompletion",
        "typeahead",
    ],
    &[
        "frequency map",
        "frequency count",
        "character count",
        "counter",
    ],
    // ---- complexity ----
    &["o(1)", "constant time", "constant-time", "o(1) time"],
    &[
        "o(log n)",
        "logarithmic time",
        "logarithmic",
        "log n",
        "o(logn)",
    ],
    &["o(n)", "linear time", "linear", "o(n) time"],
    &["o(n log n)", "linearithmic", "n log n", "o(nlogn)"],
    &["o(n^2)", "quadratic time", "quadratic", "o(n2)", "o(n²)"],
    &["o(2^n)", "exponential time", "exponential"],
    &["o(v+e)", "o(v + e)", "o(|v|+|e|)"],
    &[
        "amortized o(1)",
        "amortised o(1)",
        "amortized constant time",
        "amortised constant time",
        "amortized constant",
        "amortised constant",
    ],
    &[
        "amortized",
        "amortised",
        "amortized analysis",
        "amortised analysis",
    ],
    &[
        "time complexity",
        "runtime complexity",
        "running time",
        "big o",
        "big-o",
    ],
    &[
        "space complexity",
        "extra space",
        "auxiliary space",
        "memory usage",
        "memory overhead",
    ],
    &["worst case", "worst-case"],
    &["average case", "average-case", "on average"],
    // ---- concurrency ----
    &["mutex", "lock", "mutual exclusion", "locks"],
    &["reentrant lock", "reentrantlock", "rlock", "recursive lock"],
    &[
        "condition variable",
        "condition variables",
        "condvar",
        "wait and notify",
        "wait/notify",
    ],
    &["semaphore", "semaphores"],
    &[
        "race condition",
        "race conditions",
        "data race",
        "data races",
    ],
    &["deadlock", "deadlocks", "deadlocked"],
    &[
        "lock ordering",
        "consistent lock order",
        "lock order",
        "lock hierarchy",
    ],
    &["thread-safe", "thread safe", "threadsafe", "thread safety"],
    &[
        "producer-consumer",
        "producer consumer",
        "producer/consumer",
    ],
    &["atomic operations", "atomic operation", "atomics", "atomic"],
    &["compare-and-swap", "compare and swap", "cas"],
    &["lock-free", "lock free", "non-blocking", "nonblocking"],
    &["double-checked locking", "double checked locking"],
    &["thread dump", "thread dumps", "stack dump", "jstack"],
    &["thread sanitizer", "tsan", "threadsanitizer"],
    &[
        "async/await",
        "async await",
        "asyncio",
        "coroutines",
        "coroutine",
    ],
    // ---- code quality, patterns, debugging ----
    &["singleton", "singleton pattern", "single instance"],
    &["dependency injection", "inversion of control", "ioc"],
    &["garbage collection", "garbage collector", "gc"],
    &["memory leak", "memory leaks", "leaking memory"],
    &["heap dump", "heap dumps", "heap snapshot", "heap snapshots"],
    &["weak reference", "weak references", "weakref", "weakrefs"],
    &["profiler", "profiling", "profile"],
    &[
        "monkey patching",
        "monkey patch",
        "monkey-patching",
        "monkeypatch",
        "monkeypatching",
        "runtime patching",
    ],
    &["mock", "mocks", "mocking", "stub", "stubs", "test double"],
    &["encapsulation", "information hiding"],
    &["exception handling", "error handling"],
    &["breakpoint", "breakpoints", "debugger"],
    &["stack trace", "stack traces", "traceback", "backtrace"],
    // ---- distributed systems ----
    &["cap theorem", "brewer's theorem"],
    &[
        "strong consistency",
        "strongly consistent",
        "linearizability",
        "linearizable",
    ],
    &["eventual consistency", "eventually consistent"],
    &["causal consistency", "causally consistent"],
    &[
        "read-your-writes",
        "read your writes",
        "read-your-own-writes",
    ],
    &[
        "partition tolerance",
        "partition tolerant",
        "network partition",
    ],
    &["high availability", "highly available", "availability"],
    &[
        "consensus algorithm",
        "consensus protocol",
        "raft",
        "paxos",
        "zab",
    ],
    &["leader election", "elect a leader", "elected leader"],
    &["quorum", "quorums", "majority vote"],
    &[
        "vector clock",
        "vector clocks",
        "version vector",
        "version vectors",
    ],
    &[
        "crdt",
        "crdts",
        "conflict-free replicated data type",
        "conflict-free replicated data types",
    ],
    &["last-write-wins", "last write wins", "lww"],
    &[
        "conflict resolution",
        "resolve conflicts",
        "resolving conflicts",
    ],
    &[
        "multi-master replication",
        "multi-master",
        "multi master",
        "multi-leader replication",
        "multi-leader",
        "active-active",
    ],
    &[
        "leader-follower replication",
        "leader-follower",
        "leader follower",
        "master-slave",
        "primary-replica",
        "primary-secondary",
        "single-leader replication",
    ],
    &[
        "asynchronous replication",
        "async replication",
        "replicate asynchronously",
    ],
    &[
        "synchronous replication",
        "sync replication",
        "replicate synchronously",
    ],
    &[
        "read replica",
        "read replicas",
        "replica",
        "replicas",
        "follower",
    ],
    &["sharding", "partitioning", "shard", "shards", "partition"],
    &["consistent hashing", "hash ring"],
    &["geo-partitioning", "geo partitioning", "data residency"],
    &["two-phase commit", "two phase commit", "2pc"],
    &["saga", "saga pattern", "sagas"],
    &["outbox pattern", "transactional outbox", "outbox"],
    &[
        "idempotency",
        "idempotent",
        "idempotency key",
        "idempotency keys",
        "deduplication",
        "deduplicate",
        "dedup",
        "dedupe",
    ],
    &["exactly-once", "exactly once"],
    &["at-least-once", "at least once"],
    &["at-most-once", "at most once"],
    &["acknowledgement", "acknowledgment", "ack", "acks"],
    &[
        "message queue",
        "message broker",
        "kafka",
        "rabbitmq",
        "sqs",
        "message bus",
    ],
    &[
        "pub/sub",
        "pubsub",
        "publish-subscribe",
        "publish/subscribe",
        "publish subscribe",
    ],
    &[
        "event-driven architecture",
        "event-driven",
        "event driven",
        "eda",
    ],
    &["event sourcing", "event-sourcing"],
    &["cqrs", "command query responsibility segregation"],
    &["change data capture", "cdc", "debezium"],
    &[
        "microservices",
        "microservice",
        "micro-services",
        "service-oriented architecture",
        "soa",
    ],
    &["monolith", "monolithic", "monolithic architecture"],
    &["service mesh", "istio", "linkerd"],
    &["api gateway", "gateway"],
    &["load balancer", "load balancing", "lb", "load balancers"],
    &[
        "horizontal scaling",
        "scale out",
        "scaling out",
        "scale horizontally",
        "horizontally scalable",
        "horizontal scalability",
    ],
    &[
        "vertical scaling",
        "scale up",
        "scaling up",
        "scale vertically",
    ],
    &["autoscaling", "auto-scaling", "auto scaling"],
    &["stateless", "stateless services", "no local state"],
    &["fan-out", "fan out", "fanout"],
    &["fan-out on write", "push model", "push-based"],
    &["fan-out on read", "pull model", "pull-based"],
    &["websocket", "websockets", "web socket", "web sockets"],
    &["long polling", "long-polling"],
    &["server-sent events", "sse"],
    &[
        "backpressure",
        "back pressure",
        "back-pressure",
        "flow control",
    ],
    &[
        "multi-region",
        "multi region",
        "multiple regions",
        "geo-distributed",
    ],
    &["disaster recovery", "dr"],
    // ---- caching ----
    &[
        "in-memory cache",
        "in memory cache",
        "redis",
        "memcached",
        "in-memory store",
    ],
    &[
        "cache-aside",
        "cache aside",
        "lazy loading",
        "look-aside cache",
    ],
    &["write-through", "write through"],
    &["write-behind", "write behind", "write-back", "write back"],
    &[
        "cache invalidation",
        "invalidate the cache",
        "cache busting",
        "invalidate cache",
    ],
    &[
        "thundering herd",
        "cache stampede",
        "dogpile",
        "dog-pile",
        "stampede",
    ],
    &[
        "request coalescing",
        "request collapsing",
        "singleflight",
        "single flight",
    ],
    &[
        "stale-while-revalidate",
        "stale while revalidate",
        "serve stale",
    ],
    &["time to live", "ttl", "expiry", "expiration"],
    &[
        "content delivery network",
        "cdn",
        "edge cache",
        "edge caching",
    ],
    &["cache hit", "cache hits", "hit rate", "hit ratio"],
    &["cache miss", "cache misses"],
    // ---- reliability ----
    &[
        "rate limiting",
        "rate limiter",
        "rate limit",
        "throttling",
        "throttle",
    ],
    &["token bucket", "token-bucket"],
    &["leaky bucket", "leaky-bucket"],
    &["sliding window log", "sliding log"],
    &["fixed window counter", "fixed window", "fixed-window"],
    &[
        "exponential backoff",
        "exponential back-off",
        "backoff",
        "back-off",
        "retry with backoff",
    ],
    &["circuit breaker", "circuit-breaker", "circuit breakers"],
    &["bulkhead", "bulkheads", "bulkhead pattern"],
    &[
        "graceful degradation",
        "degrade gracefully",
        "fallback",
        "fall back",
        "fallbacks",
    ],
    &["timeout", "timeouts", "time-out", "time out"],
    &["dead-letter queue", "dead letter queue", "dlq"],
    &[
        "distributed lock",
        "distributed locking",
        "distributed locks",
        "lease",
    ],
    &["fail open", "fail-open"],
    &["fail closed", "fail-closed"],
    &[
        "health check",
        "health checks",
        "healthcheck",
        "liveness probe",
        "readiness probe",
    ],
    &["heartbeat", "heartbeats", "keepalive", "keep-alive"],
    &[
        "chaos engineering",
        "chaos testing",
        "fault injection",
        "failure injection",
        "chaos monkey",
    ],
    &["single point of failure", "spof"],
    &["redundancy", "redundant"],
    &["failover", "fail over", "fail-over"],
    // ---- observability ----
    &["observability", "monitoring", "o11y"],
    &[
        "distributed tracing",
        "tracing",
        "opentelemetry",
        "jaeger",
        "zipkin",
        "traces",
    ],
    &["structured logging", "structured logs", "json logs"],
    &[
        "centralized logging",
        "centralised logging",
        "log aggregation",
        "elk",
        "elk stack",
    ],
    &["metrics", "instrumentation", "telemetry"],
    &[
        "correlation id",
        "correlation ids",
        "request id",
        "trace id",
        "request-id",
    ],
    &["alerting", "alerts", "alert", "paging"],
    &["dashboard", "dashboards"],
    &["service level objective", "slo", "slos"],
    &["service level agreement", "sla", "slas"],
    &["service level indicator", "sli", "slis"],
    &["error budget", "error budgets"],
    &["mean time to recovery", "mttr", "mean time to restore"],
    &[
        "root cause analysis",
        "rca",
        "root cause",
        "five whys",
        "5 whys",
    ],
    &["apm", "application performance monitoring"],
    &["latency", "response time"],
    &["p99", "99th percentile", "tail latency"],
    // ---- delivery and migrations ----
    &[
        "canary deployment",
        "canary",
        "canary release",
        "canary rollout",
        "canaries",
    ],
    &[
        "blue-green deployment",
        "blue-green",
        "blue green",
        "blue/green",
    ],
    &[
        "rolling update",
        "rolling updates",
        "rolling deployment",
        "rolling deploy",
    ],
    &[
        "feature flag",
        "feature flags",
        "feature toggle",
        "feature toggles",
        "feature switch",
    ],
    &["kill switch", "kill switches", "off switch"],
    &[
        "rollback",
        "roll back",
        "rolling back",
        "revert",
        "rollbacks",
    ],
    &[
        "phased rollout",
        "gradual rollout",
        "staged rollout",
        "incremental rollout",
        "progressive rollout",
        "progressive delivery",
        "phased migration",
        "phased approach",
    ],
    &[
        "zero downtime",
        "zero-downtime",
        "no downtime",
        "without downtime",
    ],
    &[
        "expand and contract",
        "expand/contract",
        "expand-contract",
        "parallel change",
    ],
    &["backfill", "back-fill", "backfilling"],
    &["dual write", "dual writes", "dual-write", "write to both"],
    &[
        "shadow reads",
        "shadow read",
        "shadow traffic",
        "shadow testing",
    ],
    &["schema migration", "database migration", "db migration"],
    &[
        "backward compatible",
        "backward compatibility",
        "backwards compatible",
        "backwards compatibility",
    ],
    &[
        "api versioning",
        "versioning",
        "versioned api",
        "uri versioning",
    ],
    &["deprecation", "deprecate", "deprecated", "sunset"],
    &[
        "contract testing",
        "consumer-driven contracts",
        "consumer driven contracts",
        "pact",
    ],
    &["hateoas", "hypermedia", "hypermedia controls"],
    &[
        "ci/cd",
        "cicd",
        "continuous integration",
        "continuous delivery",
        "continuous deployment",
    ],
    &["infrastructure as code", "iac", "terraform"],
    &["kubernetes", "k8s"],
    &["container", "containers", "docker"],
    &["runbook", "runbooks", "playbook", "playbooks"],
    &["smoke test", "smoke tests", "sanity check", "sanity checks"],
    &[
        "staging environment",
        "staging",
        "pre-production",
        "preprod",
    ],
    &[
        "load testing",
        "load test",
        "stress testing",
        "stress test",
        "performance testing",
    ],
    &["unit test", "unit tests", "unit testing"],
    &[
        "integration test",
        "integration tests",
        "integration testing",
    ],
    &["code review", "code reviews", "peer review", "pr review"],
    &["pair programming", "pair-programming", "pairing", "paired"],
    &["dry run", "dry-run", "dry runs", "dry-runs", "rehearsal"],
    // ---- data and storage ----
    &["nosql", "no-sql", "non-relational"],
    &[
        "relational database",
        "rdbms",
        "sql database",
        "postgresql",
        "postgres",
        "mysql",
    ],
    &[
        "object storage",
        "s3",
        "blob storage",
        "gcs",
        "object store",
    ],
    &["connection pool", "connection pooling", "connection pools"],
    &["n+1 query", "n+1 queries", "n+1 problem"],
    &["query optimization", "query optimisation", "query tuning"],
    &[
        "tf-idf",
        "tfidf",
        "tf idf",
        "term frequency-inverse document frequency",
    ],
    &["bm25", "okapi bm25"],
    &[
        "adaptive bitrate",
        "adaptive bitrate streaming",
        "abr",
        "hls",
        "dash",
    ],
    &["transcoding", "transcode", "transcoded"],
    &["base62", "base 62", "base-62", "base62 encoding"],
    &[
        "etl",
        "extract transform load",
        "extract, transform, load",
        "elt",
    ],
    &["data pipeline", "data pipelines", "pipeline"],
    &["batch processing", "batch jobs", "batch job", "batch"],
    &["stream processing", "streaming", "real-time processing"],
    &[
        "schema validation",
        "data validation",
        "validate the schema",
    ],
    &["checkpoint", "checkpoints", "checkpointing", "watermark"],
    // ---- security ----
    &[
        "least privilege",
        "principle of least privilege",
        "least-privilege",
    ],
    &["encryption at rest", "encrypted at rest"],
    &[
        "encryption in transit",
        "encrypted in transit",
        "tls",
        "ssl",
    ],
    &["audit logging", "audit log", "audit logs", "audit trail"],
    &["single sign-on", "single sign on", "sso"],
    &[
        "multi-factor authentication",
        "mfa",
        "2fa",
        "two-factor authentication",
    ],
    &["oauth", "oauth 2.0", "oauth2"],
    &["api key", "api keys"],
    &[
        "pii",
        "personally identifiable information",
        "personal data",
    ],
    &["air-gapped", "air gapped", "airgapped"],
    &[
        "on-premise",
        "on-prem",
        "on premise",
        "on-premises",
        "on premises",
    ],
    // ---- architecture and strategy ----
    &[
        "architecture decision record",
        "architecture decision records",
        "adr",
        "adrs",
    ],
    &["technical debt", "tech debt"],
    &["total cost of ownership", "tco"],
    &["return on investment", "roi"],
    &["minimum viable product", "mvp"],
    &[
        "proof of concept",
        "proof-of-concept",
        "poc",
        "prototype",
        "prototypes",
    ],
    &["time to market", "time-to-market"],
    &["vendor lock-in", "vendor lock in", "lock-in", "lock in"],
    &[
        "build vs buy",
        "build vs. buy",
        "build versus buy",
        "build or buy",
    ],
    &["abstraction layer", "abstraction layers", "adapter layer"],
    &["plugin architecture", "plugin system", "plugins", "plug-in"],
    &[
        "configuration over code",
        "config-driven",
        "configuration-driven",
    ],
    &[
        "composition over inheritance",
        "prefer composition",
        "favor composition",
    ],
    &["interface", "interfaces", "contract", "contracts"],
    &["golden path", "golden paths", "paved road", "paved path"],
    &["platform team", "platform teams", "platform engineering"],
    &["tech radar", "technology radar"],
    &[
        "guild",
        "guilds",
        "community of practice",
        "communities of practice",
    ],
    &["hackathon", "hackathons", "hack week", "innovation sprint"],
    &["developer experience", "devex"],
    &["evolutionary architecture", "incremental architecture"],
    // ---- process and leadership ----
    &[
        "blameless post-mortem",
        "blameless postmortem",
        "blameless post mortem",
        "blameless retrospective",
        "blameless culture",
        "blameless",
    ],
    &[
        "post-mortem",
        "postmortem",
        "post mortem",
        "retrospective",
        "retro",
        "incident review",
    ],
    &["lessons learned", "lessons learnt", "learnings"],
    &["war room", "incident bridge", "incident channel"],
    &["incident commander", "incident lead"],
    &["on-call", "on call", "pager duty"],
    &["stakeholder", "stakeholders"],
    &[
        "stakeholder alignment",
        "align stakeholders",
        "aligned stakeholders",
        "stakeholder buy-in",
        "buy-in",
    ],
    &[
        "data-driven",
        "data driven",
        "evidence-based",
        "evidence based",
        "backed by data",
        "metrics-driven",
    ],
    &[
        "trade-off",
        "trade-offs",
        "tradeoff",
        "tradeoffs",
        "trade off",
        "trade offs",
        "pros and cons",
    ],
    &["mentoring", "mentor", "mentorship", "mentored", "coaching"],
    &[
        "one-on-one",
        "one on one",
        "1:1",
        "1-on-1",
        "1on1",
        "one-to-one",
    ],
    &["psychological safety", "psychologically safe"],
    &[
        "build consensus",
        "building consensus",
        "consensus building",
        "reach consensus",
        "reached consensus",
    ],
    &[
        "ownership",
        "accountability",
        "take ownership",
        "took ownership",
    ],
    &[
        "prioritization",
        "prioritisation",
        "prioritize",
        "prioritise",
        "prioritized",
        "prioritised",
    ],
    &["scope creep", "scope expansion", "expanding scope"],
    &["change request", "change requests", "change control"],
    &[
        "requirements gathering",
        "gather requirements",
        "gathering requirements",
        "requirements elicitation",
    ],
    &[
        "knowledge transfer",
        "knowledge sharing",
        "handover",
        "hand-off",
        "handoff",
    ],
    &[
        "workshop",
        "workshops",
        "training session",
        "training sessions",
    ],
    &[
        "kpi",
        "kpis",
        "key performance indicator",
        "key performance indicators",
    ],
    &["okr", "okrs", "objectives and key results"],
    &["risk assessment", "risk analysis", "risk-weighted analysis"],
    &[
        "contingency plan",
        "contingency plans",
        "plan b",
        "backup plan",
    ],
    &["escalation", "escalate", "escalation path"],
];

/// The group a phrase belongs to (case-insensitive, whole phrase), if any.
pub fn group_of(phrase: &str) -> Option<&'static [&'static str]> {
    let lower = phrase.trim().to_lowercase();
    index().get(lower.as_str()).map(|&i| GROUPS[i])
}

/// The canonical (first) phrase of the group `phrase` belongs to, if any.
pub fn canonical(phrase: &str) -> Option<&'static str> {
    group_of(phrase).map(|g| g[0])
}

/// Longest number of words of any phrase in the list (for n-gram scans).
pub fn max_phrase_words() -> usize {
    static MAX: OnceLock<usize> = OnceLock::new();
    *MAX.get_or_init(|| {
        GROUPS
            .iter()
            .flat_map(|g| g.iter())
            .map(|p| p.split_whitespace().count())
            .max()
            .unwrap_or(1)
    })
}

/// Phrase → group index, built once.
fn index() -> &'static HashMap<&'static str, usize> {
    static INDEX: OnceLock<HashMap<&'static str, usize>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut map = HashMap::new();
        for (i, group) in GROUPS.iter().enumerate() {
            for phrase in group.iter() {
                map.entry(*phrase).or_insert(i);
            }
        }
        map
    })
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
                assert_eq!(*phrase, phrase.trim());
            }
        }
    }

    #[test]
    fn groups_are_disjoint() {
        let mut seen = std::collections::BTreeMap::new();
        for (i, group) in GROUPS.iter().enumerate() {
            for phrase in group.iter() {
                if let Some(j) = seen.insert(*phrase, i) {
                    panic!("`{phrase}` is in groups {j} and {i}");
                }
            }
        }
    }

    #[test]
    fn finds_the_group_of_an_alias() {
        assert_eq!(group_of("Hash Table").map(|g| g[0]), Some("hash map"));
        assert_eq!(group_of("DLQ").map(|g| g[0]), Some("dead-letter queue"));
        assert_eq!(canonical("constant time"), Some("o(1)"));
        assert_eq!(
            canonical("tortoise and hare"),
            Some("fast and slow pointers")
        );
        assert!(group_of("banana").is_none());
    }

    #[test]
    fn list_is_substantial() {
        assert!(GROUPS.len() >= 200, "only {} groups", GROUPS.len());
    }
}
