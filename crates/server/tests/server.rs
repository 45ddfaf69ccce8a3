//! Integration tests of the service: every endpoint and error through `app().oneshot`,
//! and the search page in a real browser.

mod api;
mod browser;
mod common;
mod regression;
mod reliability;
