//! Integration tests of the page parser: the seed page, the real portal pages of the
//! shared corpus, re-encoded pages, laws and regulations, and hostile input.

mod bad_input;
mod corpus;
mod encoding;
mod laws;
mod seed;
mod templates;
