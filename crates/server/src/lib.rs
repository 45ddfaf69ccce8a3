//! The zhengce query service: a JSON API, Prometheus metrics and the search page.
//!
//! [`app`] builds the router from an [`AppState`]; [`serve`] runs it with graceful
//! shutdown. Handlers are thin: they parse the request into the index's own types, run
//! the search on a blocking thread (tantivy work never runs on the async workers), and
//! convert back. Every 4xx and 5xx answer is `{"message", "code"}`.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! let index = zhengce_index::PolicyIndex::create_in_ram().unwrap();
//! let state = zhengce_server::AppState::new(index);
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! zhengce_server::serve(listener, state, std::future::pending()).await
//! # }
//! ```

mod assets;
mod error;
mod metrics;
mod openapi;
mod pages;
mod params;
mod shape;

use std::future::{Future, IntoFuture};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering as AtomicOrdering};
use std::time::{Duration, Instant};

use axum::extract::path::ErrorKind;
use axum::extract::rejection::PathRejection;
use axum::extract::{MatchedPath, Path, RawQuery, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use zhengce_index::{
    BenefitsResponse, Cancel, FacetValue, Hit, PolicyIndex, SearchResponse, StoredDoc,
};

pub use error::ApiError;
pub use metrics::Metrics;

/// How long a request may take before it is answered with a timeout.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Similar documents shown for a document.
const SIMILAR: usize = 5;

/// Searches waiting for a worker beyond which the server answers 503 `overloaded`: a
/// burst of a few hundred cheap searches (10 ms each on two cores) is served within the
/// request timeout; a flood of slow ones is refused rather than left to time out.
pub const QUEUE_LIMIT: usize = 256;

/// How long a shutdown waits for the requests in flight before it drops them (their
/// searches are cancelled) and returns.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);

/// How often `/healthz` also checks every file of the index against its checksum (it
/// reads the whole index; in between, the last result stands).
pub const INTEGRITY_EVERY: Duration = Duration::from_secs(600);

/// The search `/healthz` runs: documents only, one hit, every facet, so postings, fast
/// fields and stored documents are all read.
const HEALTH_QUERY: &str = "通知";

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub index: PolicyIndex,
    pub metrics: Metrics,
    pub timeout: Duration,
    pub workers: Workers,
    /// Set once shutdown has begun: `/readyz` then answers 503.
    pub stopping: Arc<AtomicBool>,
    /// How often `/healthz` verifies checksums ([`INTEGRITY_EVERY`]).
    pub integrity_every: Duration,
    /// When checksums were last verified, and what was found damaged.
    integrity: Arc<std::sync::Mutex<Option<Verified>>>,
}

/// When the index's checksums were last verified, and what was then found damaged.
type Verified = (Instant, Option<String>);

impl AppState {
    pub fn new(index: PolicyIndex) -> AppState {
        AppState {
            index,
            metrics: Metrics::new(),
            timeout: REQUEST_TIMEOUT,
            workers: Workers::new(
                std::thread::available_parallelism().map_or(2, |n| n.get()),
                QUEUE_LIMIT,
            ),
            stopping: Arc::new(AtomicBool::new(false)),
            integrity_every: INTEGRITY_EVERY,
            integrity: Arc::default(),
        }
    }
}

/// The bounded pool index work runs on: as many searches at once as there are cores,
/// a bounded queue behind them, and 503 beyond it (tokio's blocking pool alone has no
/// such bound).
#[derive(Clone)]
pub struct Workers {
    running: Arc<tokio::sync::Semaphore>,
    waiting: Arc<AtomicUsize>,
    queue_limit: usize,
    /// Extra time every job takes, not cancellable: a test hook standing for work that
    /// ignores cancellation (set by `zhengce serve` from `ZHENGCE_TEST_WORK_DELAY_MS`).
    delay: Option<Duration>,
}

impl Workers {
    pub fn new(parallel: usize, queue_limit: usize) -> Workers {
        Workers {
            running: Arc::new(tokio::sync::Semaphore::new(parallel.max(1))),
            waiting: Arc::new(AtomicUsize::new(0)),
            queue_limit,
            delay: None,
        }
    }

    /// Makes every job take `delay` longer, without noticing cancellation (for tests of
    /// what a shutdown does with work that will not stop).
    pub fn with_delay(mut self, delay: Duration) -> Workers {
        self.delay = Some(delay);
        self
    }

    /// Runs `f` on a blocking thread once a worker is free; `Overloaded` when the queue
    /// is full. A caller that goes away (timeout, disconnect) while `f` runs cancels
    /// `cancel`, which stops a search early.
    async fn run<T: Send + 'static>(
        &self,
        cancel: Cancel,
        f: impl FnOnce(&Cancel) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        if self.waiting.fetch_add(1, AtomicOrdering::SeqCst) >= self.queue_limit {
            self.waiting.fetch_sub(1, AtomicOrdering::SeqCst);
            return Err(ApiError::Overloaded);
        }
        let permit = self.running.clone().acquire_owned().await;
        self.waiting.fetch_sub(1, AtomicOrdering::SeqCst);
        let permit = permit.map_err(|e| ApiError::Internal(format!("worker pool closed: {e}")))?;
        let mut guard = CancelOnDrop(Some(cancel.clone()));
        let delay = self.delay;
        let result = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            if let Some(delay) = delay {
                std::thread::sleep(delay);
            }
            f(&cancel)
        })
        .await
        .map_err(|e| ApiError::Internal(format!("search task failed: {e}")))?;
        // Finished: nothing left to cancel.
        guard.0 = None;
        result
    }
}

/// Cancels a search when the request handling it is dropped before it finished.
struct CancelOnDrop(Option<Cancel>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        if let Some(cancel) = &self.0 {
            cancel.cancel();
        }
    }
}

/// The service: its routes with errors, metrics and timeouts around them.
pub fn app(state: AppState) -> Router {
    finish(routes(), state)
}

/// The service's routes, before [`finish`].
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(page_search))
        .route("/docs/{id}", get(page_doc))
        .route("/benefits", get(page_benefits))
        .route("/api/benefits", get(api_benefits))
        .route("/api/search", get(api_search))
        .route("/api/docs/{id}", get(api_doc))
        .route("/api/docs/{id}/similar", get(api_similar))
        .route("/api/facets", get(api_facets))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_text))
        .route("/api/openapi.json", get(openapi::serve))
        .route("/favicon.ico", get(assets::favicon))
        .route("/static/{file}", get(assets::serve))
}

/// Wraps routes with the JSON fallbacks, the timeout and the metrics, and gives them
/// their state.
pub fn finish(routes: Router<AppState>, state: AppState) -> Router {
    routes
        .fallback(not_found)
        .method_not_allowed_fallback(|| async {
            (StatusCode::METHOD_NOT_ALLOWED, Json(serde_json::json!({"message": "不支持这种请求方法", "code": "method_not_allowed"})))
        })
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .with_state(state)
}

/// Runs the service on `listener` until `shutdown` resolves, then lets the requests in
/// flight finish for at most [`SHUTDOWN_GRACE`]. What still runs after that is left to
/// the runtime's shutdown, which drops it (cancelling its searches): give the runtime a
/// bounded `shutdown_timeout` so that work which never stops cannot hold the process.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (stopped, mut on_stop) = tokio::sync::watch::channel(false);
    let stopping = state.stopping.clone();
    let graceful = async move {
        shutdown.await;
        stopping.store(true, AtomicOrdering::SeqCst);
        stopped.send_replace(true);
    };
    let server = axum::serve(listener, app(state)).with_graceful_shutdown(graceful);
    let deadline = async move {
        if on_stop.wait_for(|s| *s).await.is_ok() {
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        } else {
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        result = server.into_future() => result,
        () = deadline => {
            tracing::warn!(grace_s = SHUTDOWN_GRACE.as_secs(), "requests still running after the shutdown grace: dropping them");
            Ok(())
        }
    }
}

/// Resolves on SIGINT (ctrl-c) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

/// Times out slow requests, counts every request and logs it.
async fn observe(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", |p| p.as_str())
        .to_string();
    let method = request.method().clone();
    let started = Instant::now();
    let response = match tokio::time::timeout(state.timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::Timeout.into_response(),
    };
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    state
        .metrics
        .requests
        .with_label_values(&[route.as_str(), &status.to_string()])
        .inc();
    state
        .metrics
        .latency
        .with_label_values(&[route.as_str()])
        .observe(elapsed.as_secs_f64());
    tracing::info!(%method, route, status, ms = elapsed.as_millis() as u64, "request");
    response
}

/// Runs blocking index work on the bounded worker pool.
async fn blocking<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    state.workers.run(Cancel::new(), move |_| f()).await
}

async fn run_search(
    state: &AppState,
    query: Option<&str>,
) -> Result<(SearchResponse, usize, usize), ApiError> {
    let started = Instant::now();
    let request = params::search_request(&params::pairs(query))?;
    let (page, size) = (request.page, request.size);
    let index = state.index.clone();
    let mut response = state
        .workers
        .run(Cancel::new(), move |cancel| {
            Ok(index.search_cancellable(&request, cancel)?)
        })
        .await?;
    // The whole request: parsing, the wait for a worker and the search.
    response.took_ms = started.elapsed().as_millis() as u64;
    Ok((response, page, size))
}

async fn find_doc(state: &AppState, id: String) -> Result<StoredDoc, ApiError> {
    let index = state.index.clone();
    blocking(state, move || {
        index
            .get_stored(&id)?
            .ok_or_else(|| ApiError::NotFound(format!("没有这份文件：{id}")))
    })
    .await
}

async fn find_similar(state: &AppState, id: String) -> Result<Vec<Hit>, ApiError> {
    let index = state.index.clone();
    blocking(state, move || {
        index
            .similar(&id, SIMILAR)?
            .ok_or_else(|| ApiError::NotFound(format!("没有这份文件：{id}")))
    })
    .await
}

/// An unknown path: a page for a browser, JSON under `/api` and for other clients.
async fn not_found(request: Request) -> Response {
    let wants_html = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    if wants_html && !request.uri().path().starts_with("/api/") {
        let message = "页面不存在：地址可能有误，或文件已被移除";
        return (StatusCode::NOT_FOUND, Html(pages::error_page(message))).into_response();
    }
    ApiError::NoRoute.into_response()
}

async fn api_search(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Json<serde_json::Value>, ApiError> {
    params::checked_pairs(query.as_deref())?;
    let (response, page, size) = run_search(&state, query.as_deref()).await?;
    Ok(Json(shape::search(&response, page, size)))
}

async fn run_benefits(
    state: &AppState,
    pairs: &[(String, String)],
) -> Result<(BenefitsResponse, params::BenefitsPage), ApiError> {
    let page = params::benefits_request(pairs)?;
    let index = state.index.clone();
    let request = page.request.clone();
    let mut response = blocking(state, move || Ok(index.benefits(&request)?)).await?;
    response.documents = response
        .documents
        .into_iter()
        .skip(page.skip)
        .take(page.size)
        .collect();
    Ok((response, page))
}

async fn api_benefits(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Json<serde_json::Value>, ApiError> {
    let pairs = params::checked_pairs(query.as_deref())?;
    let (response, page) = run_benefits(&state, &pairs).await?;
    Ok(Json(shape::benefits(&response, &page)))
}

async fn page_benefits(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let pairs = params::for_page(&params::pairs(query.as_deref()), params::BENEFITS_PARAMS);
    let index = state.index.clone();
    let regions = blocking(&state, move || Ok(index.facet_values("region", "", 100)?))
        .await
        .unwrap_or_default();
    // Any choice lists what fits it: a region alone lists the support for every kind of
    // enterprise there (the page says so and asks for a type to narrow it).
    let asked = pairs.iter().any(|(k, v)| {
        ["beneficiary", "benefit", "region", "q"].contains(&k.as_str()) && !v.trim().is_empty()
    });
    if !asked {
        return Html(pages::benefits_page(&pairs, &regions, None)).into_response();
    }
    match run_benefits(&state, &pairs).await {
        Ok((r, _)) => Html(pages::benefits_page(&pairs, &regions, Some(Ok(&r)))).into_response(),
        Err(e) => (
            e.status(),
            Html(pages::benefits_page(
                &pairs,
                &regions,
                Some(Err(&e.message())),
            )),
        )
            .into_response(),
    }
}

/// A document id from the path; a path that is not one (invalid UTF-8 after
/// percent-decoding) is a 400 in the API's own error shape, not the framework's text.
struct DocId(String);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for DocId {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<DocId, ApiError> {
        Path::<String>::from_request_parts(parts, state)
            .await
            .map(|Path(id)| DocId(id))
            .map_err(|e| {
                // The framework's text is English: it is logged, the client reads Chinese.
                tracing::debug!(error = %e, "document id rejected");
                let utf8 = matches!(
                    &e,
                    PathRejection::FailedToDeserializePathParams(p)
                        if matches!(p.kind(), ErrorKind::InvalidUtf8InPathParam { .. })
                );
                let message = if utf8 {
                    "路径中的文件编号无效：百分号解码后不是有效的 UTF-8 文字"
                } else {
                    "路径中的文件编号无效"
                };
                ApiError::invalid("id", message)
            })
    }
}

async fn api_doc(
    State(state): State<AppState>,
    DocId(id): DocId,
) -> Result<Json<serde_json::Value>, ApiError> {
    Ok(Json(shape::doc(&find_doc(&state, id).await?)))
}

async fn api_similar(
    State(state): State<AppState>,
    DocId(id): DocId,
) -> Result<Json<serde_json::Value>, ApiError> {
    let similar = find_similar(&state, id.clone()).await?;
    Ok(Json(
        serde_json::json!({"id": id, "similar": shape::hits(&similar)}),
    ))
}

#[derive(Serialize)]
struct FacetsResponse {
    field: String,
    values: Vec<FacetValue>,
}

async fn api_facets(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Json<FacetsResponse>, ApiError> {
    const KNOWN: &[&str] = &["field", "prefix", "size", "limit"];
    let fields = || {
        zhengce_index::FacetField::ALL
            .map(zhengce_index::FacetField::as_str)
            .join("、")
    };
    let mut field = None;
    let mut prefix = String::new();
    let mut limit = 100usize;
    for (k, v) in params::pairs(query.as_deref()) {
        match k.as_str() {
            "field" => field = Some(v),
            "prefix" => prefix = v,
            // `limit` is the deprecated name of `size`.
            "size" | "limit" => {
                limit = v
                    .parse()
                    .ok()
                    .filter(|n| (1..=1000).contains(n))
                    .ok_or_else(|| {
                        ApiError::invalid(&k, format!("{k} 应在 1 到 1000 之间，收到“{v}”"))
                    })?
            }
            other => return Err(ApiError::unknown(other, KNOWN)),
        }
    }
    let field = field.ok_or_else(|| {
        ApiError::missing("field", format!("缺少参数 field，可用的分面：{}", fields()))
    })?;
    if zhengce_index::FacetField::parse(&field).is_none() {
        return Err(ApiError::invalid(
            "field",
            format!("没有“{field}”这个分面；可用的分面：{}", fields()),
        ));
    }
    let index = state.index.clone();
    let name = field.clone();
    let values = blocking(&state, move || {
        Ok(index.facet_values(&name, &prefix, limit)?)
    })
    .await?;
    Ok(Json(FacetsResponse { field, values }))
}

/// Liveness: the index answers a real search (postings, fast fields, a stored
/// document), and its files matched their checksums when last verified (at most every
/// [`AppState::integrity_every`]); 503 `unhealthy` when either fails.
async fn healthz(State(state): State<AppState>) -> Response {
    let index = state.index.clone();
    let integrity = state.integrity.clone();
    let every = state.integrity_every;
    // Not through the search queue: a burst of searches that fills it makes the server
    // busy, not ill, and a liveness probe answered 503 then would restart a healthy
    // server. The check is one search of one hit.
    let check = tokio::task::spawn_blocking(move || {
        let mut request = zhengce_index::SearchRequest::new(HEALTH_QUERY);
        request.size = 1;
        request.matched_provisions = 0;
        let response = index.search(&request)?;
        if let Some(hit) = response.hits.first() {
            index.get_doc(&hit.id)?;
        }
        let mut last = integrity.lock().unwrap_or_else(|e| e.into_inner());
        if last.as_ref().is_none_or(|(at, _)| at.elapsed() >= every) {
            let damage = index.verify().err().map(|e| e.to_string());
            *last = Some((Instant::now(), damage));
        }
        if let Some((_, Some(damage))) = last.as_ref() {
            return Err(ApiError::Internal(damage.clone()));
        }
        Ok(index.num_docs()?)
    });
    let checked = match tokio::time::timeout(state.timeout, check).await {
        Ok(Ok(result)) => result,
        Ok(Err(e)) => Err(ApiError::Internal(format!("health check task failed: {e}"))),
        Err(_) => Err(ApiError::Timeout),
    };
    match checked {
        Ok(documents) => {
            Json(serde_json::json!({"status": "ok", "documents": documents})).into_response()
        }
        // Busy is not ill: the machine is too loaded to answer in time.
        Err(e @ ApiError::Timeout) => e.into_response(),
        Err(e) => {
            tracing::error!(error = ?e, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({
                    "status": "unhealthy",
                    "message": "索引无法检索或已损坏",
                    "code": "unhealthy",
                })),
            )
                .into_response()
        }
    }
}

/// Readiness: serving, and not shutting down.
async fn readyz(State(state): State<AppState>) -> Response {
    if state.stopping.load(AtomicOrdering::SeqCst) {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({
                "status": "stopping",
                "message": "服务正在关闭",
                "code": "shutting_down",
            })),
        )
            .into_response();
    }
    Json(serde_json::json!({"status": "ready"})).into_response()
}

async fn metrics_text(State(state): State<AppState>) -> Result<Response, ApiError> {
    let index = state.index.clone();
    let (documents, last_commit, segments) = blocking(&state, move || {
        Ok((
            index.num_docs()?,
            index.last_commit()?.unwrap_or(0),
            index.segment_stats()?,
        ))
    })
    .await?;
    state.metrics.documents.set(documents as i64);
    state.metrics.last_commit.set(last_commit as i64);
    state.metrics.set_segments(&segments);
    let mut response = state.metrics.render().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    Ok(response)
}

async fn page_search(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let pairs = params::for_page(&params::pairs(query.as_deref()), params::SEARCH_PARAMS);
    let known = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&pairs)
        .finish();
    match run_search(&state, Some(&known)).await {
        Ok((response, _, _)) => {
            // The landing page tells a newcomer with an empty or seed-only index how to
            // load documents.
            let documents = if pairs.iter().all(|(k, v)| k != "q" || v.is_empty()) {
                let index = state.index.clone();
                blocking(&state, move || Ok(index.num_docs()?)).await.ok()
            } else {
                None
            };
            Html(pages::search_page(&pairs, Ok(&response), documents)).into_response()
        }
        Err(e) => {
            let status = e.status();
            if status.is_server_error() {
                tracing::error!(message = %e.message(), "search page failed");
            }
            (
                status,
                Html(pages::search_page(&pairs, Err(&e.message()), None)),
            )
                .into_response()
        }
    }
}

async fn page_doc(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    id: Result<DocId, ApiError>,
) -> Response {
    // `q` highlights the search's terms; anything else (a shared link's extras) is ignored.
    let pairs = params::pairs(query.as_deref());
    let q = pairs
        .iter()
        .find(|(k, _)| k == "q")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let id = match id {
        Ok(DocId(id)) => id,
        Err(e) => return (e.status(), Html(pages::error_page(&e.message()))).into_response(),
    };
    let doc = match find_doc(&state, id.clone()).await {
        Ok(doc) => doc,
        Err(e) => return (e.status(), Html(pages::error_page(&e.message()))).into_response(),
    };
    let similar = find_similar(&state, id).await.unwrap_or_default();
    // What the search's snippets mark: synonyms too, abbreviations only as words.
    let terms = zhengce_index::highlight_terms_of(&q);
    Html(pages::doc_page(&doc, &similar, &q, &terms)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_full_queue_answers_overloaded_with_retry_after() {
        let workers = Workers::new(1, 1);
        let (release, wait) = std::sync::mpsc::channel::<()>();
        let busy = workers.clone();
        let running = tokio::spawn(async move {
            busy.run(Cancel::new(), move |_| {
                wait.recv().ok();
                Ok(1)
            })
            .await
        });
        // Let the first job take the only worker, then fill the one queue place.
        tokio::time::sleep(Duration::from_millis(50)).await;
        let queued = workers.clone();
        let second = tokio::spawn(async move { queued.run(Cancel::new(), |_| Ok(2)).await });
        tokio::time::sleep(Duration::from_millis(50)).await;
        let third = workers.run(Cancel::new(), |_| Ok(3)).await;
        assert!(matches!(third, Err(ApiError::Overloaded)), "{third:?}");
        let response = ApiError::Overloaded.into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers()[header::RETRY_AFTER], "1");
        release.send(()).unwrap();
        assert_eq!(running.await.unwrap().unwrap(), 1);
        assert_eq!(second.await.unwrap().unwrap(), 2);
    }

    #[tokio::test]
    async fn a_dropped_request_cancels_its_search() {
        let workers = Workers::new(1, 4);
        let cancel = Cancel::new();
        let seen = cancel.clone();
        let (started, wait_start) = tokio::sync::oneshot::channel::<()>();
        let job = workers.run(cancel, move |c| {
            started.send(()).ok();
            while !c.is_cancelled() {
                std::thread::sleep(Duration::from_millis(5));
            }
            Ok(())
        });
        // The request gives up (a timeout) while the job runs.
        let _ = tokio::time::timeout(Duration::from_millis(100), async {
            tokio::join!(job, async {
                wait_start.await.ok();
            })
        })
        .await;
        assert!(seen.is_cancelled());
    }
}
