fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
    for l in zhengce_parse::debug_lines(&text) {
        println!("{l}");
    }
}
