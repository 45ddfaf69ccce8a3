//! Time per provision of [`zhengce_benefits::classify`] (the rules and the shipped model)
//! and of the rules alone over labelled files, and with `--model WEIGHTS` (written by
//! `learn --write WEIGHTS`) of the rules with that model and of its decision alone:
//! `cargo run --release -p zhengce-benefits --example speed -- [--model WEIGHTS] FILE...`.
//! Each text is classified `ROUNDS` times after one warm-up pass (which also reads the
//! taxonomy).
use std::time::Instant;

use zhengce_benefits::Classification;
use zhengce_benefits::model::Model;

const ROUNDS: usize = 5;

/// A classifier timed, by name.
type Timed<'m> = (&'static str, Box<dyn Fn(&str) -> Classification + 'm>);

fn main() {
    let mut paths: Vec<String> = std::env::args().skip(1).collect();
    let model = match paths.iter().position(|p| p == "--model") {
        Some(at) => {
            let weights = paths.get(at + 1).expect("--model WEIGHTS").clone();
            paths.drain(at..=at + 1);
            Some(Model::load(weights.as_ref()).unwrap())
        }
        None => None,
    };
    let texts: Vec<String> = paths
        .into_iter()
        .flat_map(|path| {
            std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{path}: {e}"))
                .lines()
                .map(|l| {
                    let v: serde_json::Value = serde_json::from_str(l).expect("a labelled row");
                    v["text"].as_str().unwrap_or_default().to_string()
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let chars: usize = texts.iter().map(|t| t.chars().count()).sum();
    let mut classifiers: Vec<Timed> = vec![
        (
            "classify (rules and model)",
            Box::new(zhengce_benefits::classify),
        ),
        (
            "the rules alone",
            Box::new(zhengce_benefits::classify_by_rules),
        ),
    ];
    if let Some(m) = &model {
        classifiers.push((
            "rules and the model of --model",
            Box::new(|t| zhengce_benefits::classify_by(t, |t, s, r| m.revise(t, s, r))),
        ));
    }
    for (name, f) in classifiers {
        let mut found = 0;
        for t in &texts {
            found += f(t).benefits.len();
        }
        let start = Instant::now();
        for _ in 0..ROUNDS {
            for t in &texts {
                found += f(t).benefits.len();
            }
        }
        let per = start.elapsed().as_secs_f64() * 1e6 / (ROUNDS * texts.len()) as f64;
        println!(
            "{name}: {per:.1} µs per provision ({} provisions, {:.0} characters on average; {found} benefits)",
            texts.len(),
            chars as f64 / texts.len() as f64
        );
    }
    // The model's part alone: its decision over readings taken once.
    let Some(model) = model else {
        return;
    };
    let mut readings = Vec::new();
    for t in &texts {
        zhengce_benefits::classify_by(t, |text, sentences, rules| {
            readings.push((text.to_string(), sentences.to_vec(), rules.clone()));
            rules
        });
    }
    let mut found = 0;
    let start = Instant::now();
    for _ in 0..ROUNDS {
        for (text, sentences, rules) in &readings {
            found += model.revise(text, sentences, rules.clone()).len();
        }
    }
    let per = start.elapsed().as_secs_f64() * 1e6 / (ROUNDS * texts.len()) as f64;
    println!("the model's decision alone: {per:.1} µs per provision ({found} benefits)");
}
