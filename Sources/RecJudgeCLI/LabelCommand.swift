import ArgumentParser

struct Label: Unavailable {
    static let issue = "issue 4: the label workbench"
    static let configuration = CommandConfiguration(abstract: "Open the annotator's queue in the workbench (not available yet: issue 4).")
    @Argument var session: String
}
