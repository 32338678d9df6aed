import Testing
import Foundation
@testable import Domain

@Suite struct RubricTests {
    @Test func theShippedRubricsCarryDesignSection2() throws {
        let interest = try Rubric.load(path: rubricPath("interest"))
        #expect(interest.dimensions.map(\.key) == ["willingness", "reasonableness"])
        #expect(interest.dimension(named: "willingness")?.passingLabels == ["spontaneity"])
        #expect(interest.dimension(named: "reasonableness")?.labels.map(\.key)
                == ["strong_correlation", "weak_correlation", "no_correlation", "hallucination"])

        let tag = try Rubric.load(path: rubricPath("tag"))
        #expect(tag.dimensions.map(\.key) == ["relevance", "consistency", "specificity", "validity"])
        #expect(tag.dimensions.map { $0.labels.filter { !$0.passes }.map(\.key) }
                == [["weak_relevance"], ["low_consistency"], ["low_specificity"], ["invalid_tag"]])
        #expect(tag.dimensions.allSatisfy { $0.passingLabels == ["yes"] })

        let explanation = try Rubric.load(path: rubricPath("explanation"))
        #expect(explanation.needsItem)
        #expect(explanation.dimensions.map(\.key) == ["relevance", "factuality", "clarity", "safety"])
        #expect(explanation.dimension(named: "factuality")?.passingLabels == ["excellent", "good"])

        for r in [interest, tag, explanation] {
            for d in r.dimensions {
                #expect(!d.question.isEmpty && !d.guideline.isEmpty, "\(r.task).\(d.key)")
                let exampleLabels = d.examples.compactMap { d.label($0.label) }
                #expect(exampleLabels.contains { $0.passes } && exampleLabels.contains { !$0.passes }, "\(r.task).\(d.key) needs a passing and a failing example")
            }
        }
    }

    static let valid = """
    task: tag
    version: 2
    output:
      required: [tag]
    dimensions:
      - key: specificity
        question: Specific?
        labels:
          - {key: "yes", text: specific, pass: true, hotkey: "1"}
          - {key: low_specificity, text: broad, pass: false, hotkey: "2"}
    judge:
      system: You grade tags.
      prompt: |
        Tag: {{output.tag}}
        {{dimensions}}
    """

    func refusal(_ text: String) -> InputError? {
        do { _ = try Rubric.parse(text, file: "rubrics/tag.yaml"); return nil } catch let e as InputError { return e } catch { return nil }
    }

    @Test func aValidRubricLoads() throws {
        let r = try Rubric.parse(Self.valid, file: "t.yaml")
        #expect(r.version == 2)
        #expect(r.dimensions[0].label(hotkey: "2")?.key == "low_specificity")
    }

    @Test(arguments: [
        ("version: 2\n", "version: 2\ncolour: red\n", 3, "unknown key 'colour'"),
        ("hotkey: \"2\"}", "hotkey: \"1\"}", 10, "hotkey '1' is used by both 'yes' and 'low_specificity'"),
        ("{key: low_specificity, text: broad", "{key: \"yes\", text: broad", 10, "duplicate label 'yes'"),
        ("text: specific, pass: true", "text: specific, pass: false", 9, "has no passing label"),
        ("Tag: {{output.tag}}", "Tag: {{output.tga}}", 14, "{{output.tga}} names a field that does not exist"),
        ("key: \"yes\"", "key: yes", 9, "reads as a boolean"),
    ])
    func malformedRubricsAreRefusedWithFileAndLine(find: String, replace: String, line: Int, message: String) throws {
        let text = Self.valid.replacingOccurrences(of: find, with: replace)
        let e = try #require(refusal(text), "accepted: \(replace)")
        #expect(e.file == "rubrics/tag.yaml")
        #expect(e.line == line, "\(e)")
        #expect(e.description.contains(message), "\(e)")
    }

    @Test func notYAMLIsRefusedWithALine() throws {
        let e = try #require(refusal("task: tag\nversion: [1, 2\n"))
        #expect(e.line != nil)
        #expect(e.message.contains("not valid YAML"))
    }

    @Test func fingerprintChangesWithThePrompt() throws {
        let a = try Rubric.parse(Self.valid, file: "t.yaml")
        let b = try Rubric.parse(Self.valid.replacingOccurrences(of: "You grade tags.", with: "You grade tags carefully."), file: "t.yaml")
        #expect(a.fingerprint != b.fingerprint)
    }

    @Test func templatesRenderPlaceholders() {
        #expect(Template.render("a {{ x }} b {{y}} c {{zz}}", { ["x": "1", "y": "2"][$0] }) == "a 1 b 2 c ")
        #expect(Template.placeholders(in: "one\n{{a}}\n\n{{ b }}").map(\.lineOffset) == [1, 3])
    }
}

@Suite struct SessionConfigTests {
    @Test func theDemoSessionLoads() throws {
        let s = try SessionConfig.load(folder: "\(repoRoot)/sessions/demo")
        #expect(s.rubrics.map(\.task) == ["interest", "tag", "explanation"])
        #expect(s.judge(named: "rules")?.kind == .rules)
        #expect(s.storePath.hasSuffix("sessions/demo/store.sqlite"))
    }

    @Test func anAPIKeyInPlaceOfItsVariableIsRefused() throws {
        let dir = tempDir()
        let text = """
        rubrics: [\(rubricPath("tag"))]
        judges:
          - {name: j, kind: openai, base_url: "http://127.0.0.1:1/v1", model: m, api_key_env: "sk-live-123-abc"}
        """
        #expect {
            _ = try SessionConfig.parse(text, file: "s.yaml", folder: dir)
        } throws: { e in
            (e as? InputError)?.description.contains("never the key itself") == true && !"\(e)".contains("sk-live-123-abc is")
        }
    }

    @Test func unknownJudgeKindNamesTheLine() throws {
        let text = "rubrics: [\(rubricPath("tag"))]\njudges:\n  - name: x\n    kind: oracle\n"
        do { _ = try SessionConfig.parse(text, file: "s.yaml", folder: tempDir()); Issue.record("accepted") } catch let e as InputError {
            #expect(e.line == 4)
            #expect(e.message.contains("unknown judge kind 'oracle'"))
        }
    }
}
