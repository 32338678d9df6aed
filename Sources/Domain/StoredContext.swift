/// The parts of a stored user context that prompts show (profile, interests, behaviour
/// history), read straight from the JSON the store keeps: no value tree for the behaviours and
/// no strings for their fields. Generation prompts and judge prompts of exports render from it.
/// Reusable: each `read` replaces what the last one read, keeping the storage.
public struct StoredContext: Sendable {
    /// As `Sample.profile` gives it.
    public private(set) var profile = JSONObject()
    /// As `Sample.interests` gives them.
    public private(set) var interests: [String] = []
    /// `Sample.behaviors` as prompt lines.
    public private(set) var history = BehaviorLines()
    /// Each behaviour field's decoded text, by its place (see `behaviorField`).
    private var fields: [UInt8] = []

    public init() {}

    /// Reads the stored context `context`. False for text this reading does not take (not an
    /// object, an escaped key, a field twice, in the context or in a behaviour); the caller
    /// then decodes the sample, whose decoder refuses what is damaged. What prompts show is
    /// checked in full (UTF-8, syntax, escapes); the context's other members are only stepped over.
    public mutating func read(_ context: UnsafeBufferPointer<UInt8>) -> Bool {
        var profileRange: Range<Int>?, behaviorsRange: Range<Int>?, interestsRange: Range<Int>?
        var unusual = false
        do throws(JSONSyntaxError) {
            try JSONParser.forEachMember(context) { key, value in
                let k = UnsafeBufferPointer(rebasing: context[key])
                if k.contains(UInt8(ascii: "\\")) { unusual = true }
                func take(_ slot: inout Range<Int>?) { if slot != nil { unusual = true }; slot = value }
                if Bytes.equal(k, "profile") { take(&profileRange) }
                else if Bytes.equal(k, "behaviors") { take(&behaviorsRange) }
                else if Bytes.equal(k, "interests") { take(&interestsRange) }
            }
        } catch { return false }
        guard !unusual else { return false }
        history.removeAll()
        let profile: JSONValue?, interests: JSONValue?
        do throws(JSONSyntaxError) {
            profile = try Self.parse(context, profileRange)
            interests = try Self.parse(context, interestsRange)
        } catch { return false }
        guard readBehaviors(context, behaviorsRange) else { return false }
        self.profile = profile?.object ?? JSONObject()
        self.interests = (interests?.array ?? []).compactMap(\.string)
        return true
    }

    /// The value at `range` of `text`, parsed in full; nil when there is no range.
    private static func parse(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>?) throws(JSONSyntaxError) -> JSONValue? {
        guard let range else { return nil }
        return try JSONParser.parse(UnsafeBufferPointer(rebasing: text[range]))
    }

    /// Reads into `history` the behaviours of the array at `range` of `text` (as
    /// `Sample.behaviors` reads them: objects only, text fields only); false for text it does
    /// not take.
    private mutating func readBehaviors(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>?) -> Bool {
        guard let range, text[range.lowerBound] == UInt8(ascii: "[") else { return true }
        let array = UnsafeBufferPointer(rebasing: text[range])
        var spans = [Range<Int>?](repeating: nil, count: 5)
        var refused = false
        // Worked on in locals, their storage taken from `self` and given back.
        var fields: [UInt8] = [], history = BehaviorLines()
        swap(&fields, &self.fields); swap(&history, &self.history)
        defer { swap(&fields, &self.fields); swap(&history, &self.history) }
        // One pass: each member of a behaviour as it is stepped over, then the behaviour's line.
        var unusual = false, seen = 0
        do throws(JSONSyntaxError) {
            try JSONParser.forEachElement(array, utf8Checked: true, member: { key, value throws(JSONSyntaxError) in
                guard !refused else { return }
                let k = UnsafeBufferPointer(rebasing: array[key])
                if k.contains(UInt8(ascii: "\\")) { unusual = true; return }
                guard let f = Self.behaviorField(k) else { return }
                if seen & (1 << f) != 0 { unusual = true }
                seen |= 1 << f
                guard array[value.lowerBound] == UInt8(ascii: "\"") else { return }
                let from = fields.count
                try JSONParser.appendString(UnsafeBufferPointer(rebasing: array[value]), to: &fields)
                spans[f] = from..<fields.count
            }, element: { element in
                defer {
                    fields.removeAll(keepingCapacity: true)
                    for f in spans.indices { spans[f] = nil }
                    unusual = false; seen = 0
                }
                guard !refused, array[element.lowerBound] == UInt8(ascii: "{") else { return }
                if unusual { refused = true; return }
                fields.withUnsafeBufferPointer { f in
                    func text(_ r: Range<Int>?) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: f[r ?? 0..<0]) }
                    history.append(time: text(spans[0]), type: text(spans[1]), subject: text(spans[2] ?? spans[4]),
                                   category: spans[3].map { UnsafeBufferPointer(rebasing: f[$0]) })
                }
            })
        } catch { return false }
        return !refused
    }

    /// The place of a behaviour field a prompt shows among time, type, item, category, query.
    private static func behaviorField(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        Bytes.equal(key, "time") ? 0 : Bytes.equal(key, "type") ? 1 : Bytes.equal(key, "item") ? 2
            : Bytes.equal(key, "category") ? 3 : Bytes.equal(key, "query") ? 4 : nil
    }
}
