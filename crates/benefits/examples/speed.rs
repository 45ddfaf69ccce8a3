//! Time per provision of [`zhengce_benefits::classify`] (the rules), of the rules and the
//! model together and of the model's decision alone, over labelled files: `cargo run --release -p zhengce-benefits --example speed -- FILE...`.
//! Each text is classified `ROUNDS` times after one warm-up pass (which also reads the
//! taxonomy and the model).
use std::time::Instant;

const ROUNDS: usize = 5;

fn main() {
    let texts: Vec<String> = std::env::args()
        .skip(1)
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
    type Classifier = fn(&str) -> zhengce_benefits::Classification;
    let classifiers: [(&str, Classifier); 2] = [
        ("classify (the rules)", zhengce_benefits::classify),
        ("rules and model", |t| {
            zhengce_benefits::classify_by(t, zhengce_benefits::model::revise)
        }),
    ];
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
            found += zhengce_benefits::model::revise(text, sentences, rules.clone()).len();
        }
    }
    let per = start.elapsed().as_secs_f64() * 1e6 / (ROUNDS * texts.len()) as f64;
    println!("the model's decision alone: {per:.1} µs per provision ({found} benefits)");
}
