//! Integration tests of the index: the seed's provisions by keyword, recall over the
//! shared corpus, ranking, facets, upserts and the known traps of Chinese search.

mod benefits;
mod common;
mod ranking;
mod recall;
mod reliability;
mod search_core;
mod seed;
mod user_test;
