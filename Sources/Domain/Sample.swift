/// One generated output to be judged, with the user context it was generated from.
/// Unknown fields are kept in `extra` and in the user/item/output objects as given.
public struct Sample: Sendable, Equatable {
    public var id: String
    public var task: String
    /// The user object as given (id, profile, behaviors, interests, anything else).
    public var user: JSONObject
    public var item: JSONObject?
    public var output: JSONObject
    public var generatorModel: String?
    public var generatorRound: Int?
    /// Top-level fields this version does not know, kept verbatim.
    public var extra: JSONObject

    public init(id: String, task: String, user: JSONObject, item: JSONObject? = nil, output: JSONObject,
                generatorModel: String? = nil, generatorRound: Int? = nil, extra: JSONObject = JSONObject()) {
        self.id = id; self.task = task; self.user = user; self.item = item; self.output = output
        self.generatorModel = generatorModel; self.generatorRound = generatorRound; self.extra = extra
    }

    public var userID: String { user["id"]?.string ?? "" }

    /// The user context's canonical text; equal contexts are stored once.
    public var contextJSON: String { JSONValue.object(user).serialized(canonical: true) }

    /// Canonical text of everything that is not the user context. With the context hash it
    /// identifies the sample's content: re-importing equal content is a no-op.
    public func bodyJSON(canonical: Bool = true) -> String {
        var o = JSONObject()
        o["task"] = .string(task)
        if let item { o["item"] = .object(item) }
        o["output"] = .object(output)
        if let generatorModel { o["model"] = .string(generatorModel) }
        if let generatorRound { o["round"] = .number(String(generatorRound)) }
        if !extra.isEmpty { o["extra"] = .object(extra) }
        return JSONValue.object(o).serialized(canonical: canonical)
    }

    public var behaviors: [Behavior] { (user["behaviors"]?.array ?? []).compactMap { $0.object.map(Behavior.init) } }
    public var interests: [String] { (user["interests"]?.array ?? []).compactMap(\.string) }
    public var profile: JSONObject { user["profile"]?.object ?? JSONObject() }

    /// An output field as text ("" when absent).
    public func output(_ field: String) -> String { output[field]?.string ?? "" }
}

/// One entry of a user's behaviour history.
public struct Behavior: Sendable, Equatable {
    public var time: String
    public var type: String
    public var item: String?
    public var category: String?
    public var query: String?

    public init(time: String, type: String, item: String? = nil, category: String? = nil, query: String? = nil) {
        self.time = time; self.type = type; self.item = item; self.category = category; self.query = query
    }

    init(_ o: JSONObject) {
        time = o["time"]?.string ?? ""
        type = o["type"]?.string ?? ""
        item = o["item"]?.string
        category = o["category"]?.string
        query = o["query"]?.string
    }

    /// Searches state an intent; purchases, carts and favourites show one.
    public var isIntentional: Bool {
        switch type {
        case "purchase", "cart", "favorite", "favourite", "search": true
        default: false
        }
    }

    /// What the behaviour was about: the item title or the search query.
    public var subject: String { item ?? query ?? "" }
}
