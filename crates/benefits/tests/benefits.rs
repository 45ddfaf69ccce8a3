//! The 惠企 classifier on the seed and on the hand-labelled set, and table-driven tests of
//! amount and validity extraction over real sentences.

mod extraction;
mod labelled;
mod seed;
