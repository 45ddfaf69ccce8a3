//! Integration tests of the page parser: the seed page, the real portal pages of the
//! shared corpus, re-encoded pages, and hostile input.

mod bad_input;
mod corpus;
mod encoding;
mod seed;
mod templates;
