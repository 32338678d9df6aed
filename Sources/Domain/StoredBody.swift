/// Reading a stored sample's body (the compact JSON the store keeps: task, item, output, model,
/// round, extra) without decoding it.
public enum StoredBody {
    /// Finds, in one pass, the members of the body's `output` object named by `keys` (each key
    /// as JSON writes it between the quotes, escapes and all): `found[i]` gets the range in
    /// `body` of key i's value, or nil when the output has no such member.
    /// The top level is only stepped over; the output object is checked in full (UTF-8 and
    /// syntax). False when the body is not an object with exactly one `output`, an object, or
    /// a named key is there twice: the caller then decodes the sample (whose decoder refuses
    /// what is damaged).
    public static func outputMembers(_ body: UnsafeBufferPointer<UInt8>, keys: [[UInt8]],
                                     into found: UnsafeMutableBufferPointer<Range<Int>?>) -> Bool {
        var output: Range<Int>?
        var twice = false
        do throws(JSONSyntaxError) {
            try JSONParser.forEachMember(body, utf8Checked: true) { key, value in
                guard Bytes.equal(UnsafeBufferPointer(rebasing: body[key]), "output") else { return }
                if output != nil { twice = true }
                output = value
            }
        } catch { return false }
        guard !twice, let output, body[output.lowerBound] == UInt8(ascii: "{") else { return false }
        for i in found.indices { found[i] = nil }
        let object = UnsafeBufferPointer(rebasing: body[output])
        do throws(JSONSyntaxError) {
            try JSONParser.forEachMember(object) { key, value in
                let k = UnsafeBufferPointer(rebasing: object[key])
                for i in keys.indices where i < found.count && keys[i].count == k.count {
                    guard keys[i].withUnsafeBufferPointer({ Bytes.equal(k, $0) }) else { continue }
                    if found[i] != nil { twice = true }
                    found[i] = (value.lowerBound + output.lowerBound)..<(value.upperBound + output.lowerBound)
                }
            }
        } catch { return false }
        return !twice
    }
}
