//! Prometheus metrics: requests by route and status, latency, documents, last commit, and
//! the index's segments (count, entries, deleted entries, bytes).

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, Opts, Registry, TextEncoder,
};

/// The service's metrics, in a registry of their own.
#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    pub requests: IntCounterVec,
    pub latency: HistogramVec,
    pub documents: IntGauge,
    pub last_commit: IntGauge,
    segments: IntGauge,
    entries: IntGauge,
    deleted: IntGauge,
    bytes: IntGauge,
}

impl Metrics {
    pub fn new() -> Metrics {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "zhengce_http_requests_total",
                "HTTP requests by route and status",
            ),
            &["route", "status"],
        )
        .expect("valid metric");
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "zhengce_http_request_duration_seconds",
                "HTTP request latency",
            )
            .buckets(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
            ]),
            &["route"],
        )
        .expect("valid metric");
        let documents =
            IntGauge::new("zhengce_documents", "Documents in the index").expect("valid metric");
        let last_commit = IntGauge::new(
            "zhengce_last_commit_timestamp_seconds",
            "Time of the index's last commit (Unix seconds)",
        )
        .expect("valid metric");
        let gauge = |name: &str, help: &str| IntGauge::new(name, help).expect("valid metric");
        let segments = gauge("zhengce_index_segments", "Searchable segments of the index");
        let entries = gauge(
            "zhengce_index_entries",
            "Entries stored in the index's segments, deleted ones included",
        );
        let deleted = gauge(
            "zhengce_index_deleted_entries",
            "Entries deleted but kept until their segment is merged",
        );
        let bytes = gauge("zhengce_index_bytes", "Size of the index's segment files");
        for m in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(latency.clone()),
            Box::new(documents.clone()),
            Box::new(last_commit.clone()),
            Box::new(segments.clone()),
            Box::new(entries.clone()),
            Box::new(deleted.clone()),
            Box::new(bytes.clone()),
        ] {
            registry.register(m).expect("unique metric");
        }
        Metrics {
            registry,
            requests,
            latency,
            documents,
            last_commit,
            segments,
            entries,
            deleted,
            bytes,
        }
    }

    /// Records the index's segments.
    pub fn set_segments(&self, stats: &zhengce_index::SegmentStats) {
        self.segments.set(stats.segments as i64);
        self.entries.set(stats.entries as i64);
        self.deleted.set(stats.deleted as i64);
        self.bytes.set(stats.bytes as i64);
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut out = Vec::new();
        TextEncoder::new()
            .encode(&self.registry.gather(), &mut out)
            .expect("text encoding never fails");
        String::from_utf8(out).expect("text exposition is UTF-8")
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}
