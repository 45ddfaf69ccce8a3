//! The OpenAPI 3.1 description of the JSON API, served at `/api/openapi.json`.
//!
//! Parameter lists come from the same constants the handlers check them against
//! ([`crate::params`]), so the description cannot list a parameter a handler refuses;
//! the test `openapi_describes_the_router` checks the rest against the router.

use axum::Json;
use serde_json::{Value, json};

use crate::params::{BENEFITS_PARAMS, SEARCH_PARAMS};

/// (name, description, schema type, repeatable).
fn describe(name: &str) -> (&'static str, &'static str, bool) {
    match name {
        "q" => (
            "检索式：词、\"短语\"、-排除、A OR B、title:/文号:/牵头处室: 前缀",
            "string",
            false,
        ),
        "level" => ("doc（文件，默认）或 provision（条款）", "string", false),
        "sort" => ("relevance（默认）或 date", "string", false),
        "issuer" => ("发布单位；地区可简写（辽宁科学技术厅）", "string", true),
        "year" => ("年份", "integer", true),
        "lead_dept" => ("牵头处室", "string", true),
        "region" => ("地区；可简写（辽宁 → 辽宁省）", "string", true),
        "doc_type" => ("文种", "string", true),
        "benefit" => ("支持方式（可用同义词）", "string", true),
        "beneficiary" => ("适用对象（可用同义词，如 高企）", "string", true),
        "status" => (
            "有效性：现行有效、已失效、尚未施行、未知、已修订",
            "string",
            true,
        ),
        "as_of" => (
            "计算有效性的日期 YYYY-MM-DD，默认今天（北京时间）",
            "string",
            false,
        ),
        "from" => ("最早日期 YYYY-MM-DD（含）", "string", false),
        "to" => ("最晚日期 YYYY-MM-DD（含）", "string", false),
        "page" => ("页码，从 1 开始", "integer", false),
        "size" => ("每页条数", "integer", false),
        "limit" => ("已弃用：size 的旧名", "integer", false),
        "facets" => (
            "要统计的分面，逗号分隔；空值不统计；缺省统计全部",
            "string",
            false,
        ),
        "field" => ("分面名", "string", false),
        "prefix" => ("只列出以此开头的值", "string", false),
        _ => ("", "string", false),
    }
}

fn parameters(names: &[&str]) -> Value {
    Value::Array(
        names
            .iter()
            .map(|name| {
                let (description, ty, repeat) = describe(name);
                let schema = if repeat {
                    json!({"type": "array", "items": {"type": ty}})
                } else {
                    json!({"type": ty})
                };
                json!({
                    "name": name,
                    "in": "query",
                    "required": *name == "field",
                    "deprecated": *name == "limit",
                    "description": description,
                    "schema": schema,
                    "style": "form",
                    "explode": true,
                })
            })
            .collect(),
    )
}

fn id_parameter() -> Value {
    json!([{"name": "id", "in": "path", "required": true, "description": "文件编号（其网址），需百分号编码", "schema": {"type": "string"}}])
}

/// The error codes answered, with their status.
pub const ERROR_CODES: &[(&str, u16)] = &[
    ("bad_query", 400),
    ("unknown_parameter", 400),
    ("invalid_{param}", 400),
    ("missing_field", 400),
    ("bad_request", 400),
    ("not_found", 404),
    ("no_route", 404),
    ("method_not_allowed", 405),
    ("timeout", 503),
    ("overloaded", 503),
    ("internal", 500),
];

fn get(summary: &str, params: Value, ok: &str) -> Value {
    json!({
        "get": {
            "summary": summary,
            "parameters": params,
            "responses": {
                "200": {"description": ok, "content": {"application/json": {"schema": {"type": "object"}}}},
                "400": {"$ref": "#/components/responses/Error"},
                "404": {"$ref": "#/components/responses/Error"},
                "503": {"$ref": "#/components/responses/Error"},
            }
        }
    })
}

/// The description.
pub fn document() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "zhengce 政策检索 API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "政策文件与条款的全文检索。参数未知时回答 400 unknown_parameter（页面则忽略未知参数）。错误：{message（中文）, code, param?}。",
        },
        "paths": {
            "/api/search": get("检索文件或条款", parameters(SEARCH_PARAMS), "命中、分面、总数、page、size"),
            "/api/docs/{id}": get("一份文件：元数据、有效性、惠企标签、条款", id_parameter(), "文件"),
            "/api/docs/{id}/similar": get("相似文件", id_parameter(), "相似文件的命中"),
            "/api/facets": get("一个分面在全库的取值及计数", parameters(&["field", "prefix", "size", "limit"]), "分面取值"),
            "/api/benefits": get("惠企政策：适用某类企业的支持条款，按文件分组", parameters(BENEFITS_PARAMS), "文件及其支持条款、page、size"),
            "/api/openapi.json": get("本说明", json!([]), "OpenAPI 3.1"),
            "/healthz": get("存活检查：真实检索一次，并定期校验索引文件（损坏时 503 unhealthy）", json!([]), "状态与文件数"),
            "/readyz": get("就绪检查：服务中且未在关闭（关闭时 503 shutting_down）", json!([]), "状态"),
            "/metrics": get("Prometheus 指标（文本）", json!([]), "指标"),
        },
        "components": {
            "responses": {
                "Error": {
                    "description": "错误",
                    "content": {"application/json": {"schema": {
                        "type": "object",
                        "required": ["message", "code"],
                        "properties": {
                            "message": {"type": "string", "description": "中文说明"},
                            "code": {"type": "string", "description": "稳定的错误代码", "examples": ERROR_CODES.iter().map(|(c, _)| *c).collect::<Vec<_>>()},
                            "param": {"type": "string", "description": "出错的参数"},
                        }
                    }}}
                }
            }
        }
    })
}

pub async fn serve() -> Json<Value> {
    Json(document())
}
