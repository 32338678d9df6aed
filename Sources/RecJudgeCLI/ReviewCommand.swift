import ArgumentParser

struct Review: Unavailable {
    static let issue = "issue 5: review screen"
    static let configuration = CommandConfiguration(abstract: "Agreement and adjudication for leads (not available yet: issue 5).")
    @Argument var session: String
}
