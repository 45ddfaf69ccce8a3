//! The 惠企 classifier on the seed, the development and test sets and the regressions of
//! its issues, and table-driven tests of amount and validity extraction over real
//! sentences.

mod extraction;
mod labelled;
mod parties;
mod regression;
mod seed;
