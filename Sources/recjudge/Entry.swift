import RecJudgeCLI

@main
enum Entry {
    static func main() async { await RecJudge.main() }
}
