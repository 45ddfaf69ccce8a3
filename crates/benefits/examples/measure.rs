//! Precision and recall of the classifier on labelled files, as in BENCHMARKS.md.
//! `cargo run -p zhengce-benefits --example measure -- [--rules | --model WEIGHTS] FILE...`
//! (`--rules`: the rules alone; `--model`: the rules and the model whose weights `learn
//! --write WEIGHTS` wrote, instead of `classify`'s shipped ones).
use std::collections::BTreeSet;

#[derive(Default)]
struct Counts(usize, usize, usize);

impl Counts {
    fn add(&mut self, got: bool, want: bool) {
        match (got, want) {
            (true, true) => self.0 += 1,
            (true, false) => self.1 += 1,
            (false, true) => self.2 += 1,
            _ => {}
        }
    }
    fn show(&self, what: &str) {
        let p = self.0 as f64 / (self.0 + self.1).max(1) as f64;
        let r = self.0 as f64 / (self.0 + self.2).max(1) as f64;
        println!(
            "  {what}: precision {p:.3} recall {r:.3} (tp {} fp {} fn {})",
            self.0, self.1, self.2
        );
    }
}

fn main() {
    let mut paths: Vec<String> = std::env::args().skip(1).collect();
    let model = match paths.iter().position(|p| p == "--model") {
        Some(at) => {
            let weights = paths.get(at + 1).expect("--model FILE").clone();
            paths.drain(at..=at + 1);
            Some(zhengce_benefits::model::Model::load(weights.as_ref()).unwrap())
        }
        None => None,
    };
    let rules_alone = match paths.iter().position(|p| p == "--rules") {
        Some(at) => {
            paths.remove(at);
            true
        }
        None => false,
    };
    let classify = |text: &str| match &model {
        Some(m) => zhengce_benefits::classify_by(text, |t, s, r| m.revise(t, s, r)),
        None if rules_alone => zhengce_benefits::classify_by_rules(text),
        None => zhengce_benefits::classify(text),
    };
    for path in paths {
        let (mut offers, mut benefit, mut beneficiary) =
            (Counts::default(), Counts::default(), Counts::default());
        let mut n = 0;
        for line in std::fs::read_to_string(&path).unwrap().lines() {
            let row: serde_json::Value = serde_json::from_str(line).unwrap();
            let got = classify(row["text"].as_str().unwrap());
            let want = |kind: &str| -> BTreeSet<String> {
                row[kind]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap().to_string())
                    .collect()
            };
            let (wb, wy) = (want("benefit"), want("beneficiary"));
            offers.add(!got.benefits.is_empty(), !wb.is_empty());
            for (got, want, c) in [
                (&got.benefits, &wb, &mut benefit),
                (&got.beneficiaries, &wy, &mut beneficiary),
            ] {
                let got: BTreeSet<String> = got.iter().cloned().collect();
                for class in got.union(want) {
                    c.add(got.contains(class), want.contains(class));
                }
            }
            n += 1;
        }
        println!("{path}: {n} provisions");
        offers.show("offers support");
        benefit.show("benefit");
        beneficiary.show("beneficiary");
    }
}
