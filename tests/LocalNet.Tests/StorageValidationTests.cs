using System.Text;
using System.Text.Json.Nodes;
using SessionInterop.LocalNet.Tests.Support;

namespace SessionInterop.LocalNet.Tests;

// One test per validation rule of protocol-network.md §10.3 (storage server): each sends the bad
// request directly to /storage_rpc/v1 and checks the status and the body text.
[TestFixture]
internal sealed class StorageValidationTests : LocalNetFixture
{
    private const string InvalidRequest = "invalid request: ";
    private readonly TestAccount _alice = new();
    private ServiceNodeInfo Home => SwarmNode(_alice.SessionId);

    private async Task Expect(string method, JsonObject parameters, int status, string body)
    {
        (int s, string b, _) = await RpcAsync(Home, method, parameters);
        Assert.That((s, b), Is.EqualTo((status, body)));
    }

    private async Task ExpectPrefix(string method, JsonObject parameters, string prefix)
    {
        (int s, string b, _) = await RpcAsync(Home, method, parameters);
        Assert.That(s, Is.EqualTo(400), b);
        Assert.That(b, Does.StartWith(prefix));
    }

    private static long Now => TestAccount.NowMs;

    // ---- envelope ----

    [TestCase("{not json", "invalid json")]
    [TestCase("[1,2]", "invalid json: no `method` field")]
    [TestCase("""{"params":{}}""", "invalid json: no `method` field")]
    [TestCase("""{"method":5,"params":{}}""", "invalid json: no `method` field")]
    [TestCase("""{"method":"info"}""", "invalid json: no `params` field")]
    [TestCase("""{"method":"info","params":[]}""", "invalid json: no `params` field")]
    [TestCase("""{"method":"frobnicate","params":{}}""", "no method frobnicate")]
    public async Task Malformed_envelope_is_400_with_the_server_text(string json, string expected)
    {
        (int status, string body, string? type) = await RpcAsync(Home, json);
        Assert.That((status, body, type), Is.EqualTo((400, expected, "text/plain")));
    }

    [Test]
    public async Task Extra_top_level_keys_are_ignored()
    {
        (int status, string body, string? type) = await RpcAsync(Home, """{"jsonrpc":"2.0","method":"info","params":{}}""");
        Assert.That((status, type), Is.EqualTo((200, "application/json")));
        Assert.That(Json(body)["t"], Is.Not.Null);
    }

    // ---- common parameters ----

    [TestCase("05abcd")]
    [TestCase("zz4701d08488451f545a409fb58ae3e58581ca40ac3f7f114698cd71deac73ca01")]
    public Task Pubkey_must_be_66_hex(string pubkey) =>
        Expect("delete_all", new JsonObject { ["pubkey"] = pubkey }, 400, InvalidRequest + "Pubkey must be 66 hex digits (33 bytes) long");

    [Test]
    public Task Pubkey_is_required() =>
        Expect("retrieve", new JsonObject { ["namespace"] = -10 }, 400, InvalidRequest + "Required field 'pubkey' missing");

    [Test]
    public async Task PubKey_alias_is_accepted_for_get_swarm()
    {
        (int status, string body, _) = await RpcAsync(Home, "get_swarm", new JsonObject { ["pubKey"] = _alice.SessionId });
        Assert.That(status, Is.EqualTo(200), body);
    }

    [Test]
    public Task Pubkey_ed25519_is_only_allowed_for_05_accounts()
    {
        var group = new TestAccount();
        string groupId = "03" + group.EdHex;
        return ExpectOn(SwarmNode(groupId), "retrieve", new JsonObject
        {
            ["pubkey"] = groupId, ["pubkey_ed25519"] = group.EdHex, ["namespace"] = 11, ["timestamp"] = Now, ["signature"] = group.Sign("x"),
        }, 400, InvalidRequest + "pubkey_ed25519 is only permitted for 05[...] pubkeys");
    }

    private async Task ExpectOn(ServiceNodeInfo node, string method, JsonObject parameters, int status, string body)
    {
        (int s, string b, _) = await RpcAsync(node, method, parameters);
        Assert.That((s, b), Is.EqualTo((status, body)));
    }

    [TestCase("c2hvcnQ=")]
    [TestCase("zhexSfqcwZpslCJpGuNGFFMo+bXhGT1vknqNqa0k6lQHfLuVyIFZZ57Uas06WvJhgEjER4pZc0YJsvNAr4zKDw=")]
    [TestCase("zhexSfqcwZpslCJpGuNGFFMo+bXhGT1vknqNqa0k6lQHfLuVyIFZZ57Uas06WvJhgEjER4pZc0YJsvNAr4zKD!==")]
    public Task Signature_must_be_86_or_88_char_base64(string signature)
    {
        JsonObject p = SignedRetrieve(_alice, 0);
        p["signature"] = signature;
        return Expect("retrieve", p, 400, InvalidRequest + "invalid signature: expected base64 encoded Ed25519 signature");
    }

    [Test]
    public async Task Unpadded_86_char_signature_is_accepted()
    {
        JsonObject p = SignedRetrieve(_alice, 0);
        p["signature"] = p["signature"]!.GetValue<string>().TrimEnd('=');
        (int status, string body, _) = await RpcAsync(Home, "retrieve", p);
        Assert.That(status, Is.EqualTo(200), body);
    }

    [TestCase("\"1700000000123\"")]
    [TestCase("1700000000123.5")]
    [TestCase("-1700000000123")]
    public Task Timestamps_must_be_unsigned_json_integers(string timestamp)
    {
        JsonObject p = SignedRetrieve(_alice, 0);
        p["timestamp"] = JsonNode.Parse(timestamp);
        return Expect("retrieve", p, 400, InvalidRequest + "Invalid value given for 'timestamp': expected integer timestamp (in milliseconds)");
    }

    [Test]
    public Task Timestamps_below_one_billion_are_rejected_as_seconds()
    {
        JsonObject p = SignedRetrieve(_alice, 0);
        p["timestamp"] = 999_999_999; // below 10⁹ ms: "probably seconds"
        return Expect("retrieve", p, 400, InvalidRequest + "Invalid timestamp for 'timestamp': timestamp must be in milliseconds");
    }

    [TestCase(32768)]
    [TestCase(-32769)]
    public Task Namespace_must_fit_int16(int ns)
    {
        JsonObject p = SignedRetrieve(_alice, 0);
        p["namespace"] = ns;
        return Expect("retrieve", p, 400, InvalidRequest + "Invalid value given for 'namespace': value out of range");
    }

    [TestCase("short")]
    [TestCase("4sMyAuaZlMwww3oFvfhazfw7ASx/7TDtO+TVc8aAjHs=")]
    public Task Last_hash_must_be_43_char_base64(string hash)
    {
        JsonObject p = SignedRetrieve(_alice, 0);
        p["last_hash"] = hash;
        return Expect("retrieve", p, 400, InvalidRequest + "Invalid last_hash: expected base64 (43 chars)");
    }

    [Test]
    public Task Message_hashes_must_be_43_char_base64() =>
        Expect("delete", new JsonObject
        {
            ["pubkey"] = _alice.SessionId, ["pubkey_ed25519"] = _alice.EdHex, ["messages"] = new JsonArray("bad!"), ["signature"] = _alice.Sign("deletebad!"),
        }, 400, InvalidRequest + "invalid message hash: bad!");

    [Test]
    public Task Messages_must_not_be_empty() =>
        Expect("delete", new JsonObject
        {
            ["pubkey"] = _alice.SessionId, ["pubkey_ed25519"] = _alice.EdHex, ["messages"] = new JsonArray(), ["signature"] = _alice.Sign("delete"),
        }, 400, InvalidRequest + "messages does not contain any message hashes");

    [Test]
    public Task Get_swarm_uses_its_own_pubkey_wording() =>
        Expect("get_swarm", new JsonObject { ["pubkey"] = "05abcd" }, 400, InvalidRequest + "Pubkey must be 66 hex digits/33 bytes long");

    [Test]
    public Task Retrieve_from_an_explicit_authenticated_namespace_without_signature_is_a_parse_error() =>
        Expect("retrieve", new JsonObject { ["pubkey"] = _alice.SessionId, ["namespace"] = 2 }, 400, InvalidRequest + "Required field 'signature' missing");

    [Test]
    public Task Store_timestamp_string_that_is_not_a_number_is_400()
    {
        JsonObject p = Store();
        p["timestamp"] = "soon";
        return Expect("store", p, 400, InvalidRequest + "Invalid value given for 'timestamp': \"soon\"");
    }

    [Test]
    public Task Expire_with_a_list_of_expiries_of_the_wrong_length_is_400()
    {
        long later = Now + 120_000;
        return Expect("expire", new JsonObject
        {
            ["pubkey"] = _alice.SessionId, ["pubkey_ed25519"] = _alice.EdHex, ["messages"] = new JsonArray(SomeHash, SomeHash, SomeHash),
            ["expiry"] = new JsonArray(later, later), ["signature"] = _alice.Sign("x"),
        }, 400, InvalidRequest + "'expiry' must be a single expiry, or the same length as 'messages'");
    }

    [Test]
    public Task Last_hash_of_43_characters_that_are_not_base64_is_400()
    {
        JsonObject p = SignedRetrieve(_alice, 0);
        p["last_hash"] = new string('!', 43);
        return Expect("retrieve", p, 400, InvalidRequest + "Invalid last_hash: not base64");
    }

    [TestCase("zz", "Invalid pubkey_ed25519: expected 64 hex char or 32 byte pubkey")]
    [TestCase("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", "invalid pubkey_ed25519: value is not hex")]
    public Task Pubkey_ed25519_must_be_64_hex(string value, string expected)
    {
        JsonObject p = SignedRetrieve(_alice, 0);
        p["pubkey_ed25519"] = value;
        return Expect("retrieve", p, 400, InvalidRequest + expected);
    }

    [Test]
    public Task Subaccount_without_subaccount_sig_is_400()
    {
        JsonObject p = SignedRetrieve(_alice, 0);
        p["subaccount"] = Convert.ToBase64String(new byte[36]);
        return Expect("retrieve", p, 400, InvalidRequest + "invalid subaccount: subaccount_sig is required when using subaccount");
    }

    // ---- store ----

    private JsonObject Store(int ns = 0, long? timestamp = null, long ttl = 3_600_000, string text = "hi")
    {
        long ts = timestamp ?? Now;
        return new JsonObject { ["pubkey"] = _alice.SessionId, ["namespace"] = ns, ["timestamp"] = ts, ["ttl"] = ttl, ["data"] = B64(text) };
    }

    [Test]
    public Task Store_needs_exactly_one_of_ttl_and_expiry_not_both()
    {
        JsonObject p = Store();
        p["expiry"] = Now + 3_600_000;
        return Expect("store", p, 400, InvalidRequest + "Cannot specify both 'expiry' and 'ttl'");
    }

    [Test]
    public Task Store_needs_exactly_one_of_ttl_and_expiry_not_neither()
    {
        JsonObject p = Store();
        p.Remove("ttl");
        return Expect("store", p, 400, InvalidRequest + "Required field 'expiry' or 'ttl' missing");
    }

    [Test]
    public async Task Store_accepts_timestamp_and_ttl_as_decimal_strings_and_expiry_as_integer()
    {
        JsonObject p = Store(text: "strings");
        p["timestamp"] = Now.ToString(System.Globalization.CultureInfo.InvariantCulture);
        p["ttl"] = "3600000";
        (int status, string body, _) = await RpcAsync(Home, "store", p);
        Assert.That(status, Is.EqualTo(200), body);

        JsonObject q = Store(text: "expiry");
        q.Remove("ttl");
        q["expiry"] = Now + 3_600_000;
        (status, body, _) = await RpcAsync(Home, "store", q);
        Assert.That(status, Is.EqualTo(200), body);
    }

    [Test]
    public Task Store_data_over_102400_base64_chars_is_rejected()
    {
        JsonObject p = Store();
        p["data"] = Convert.ToBase64String(new byte[76_803]);
        return Expect("store", p, 400, InvalidRequest + "Message body exceeds maximum allowed length of 76800 bytes");
    }

    [Test]
    public async Task Store_data_of_exactly_76800_bytes_is_accepted()
    {
        JsonObject p = Store();
        p["data"] = Convert.ToBase64String(new byte[76_800]);
        (int status, string body, _) = await RpcAsync(Home, "store", p);
        Assert.That(status, Is.EqualTo(200), body);
    }

    [Test]
    public Task Store_data_must_be_base64()
    {
        JsonObject p = Store();
        p["data"] = "not base64!";
        return Expect("store", p, 400, InvalidRequest + "Invalid 'data' value: not base64 encoded");
    }

    [TestCase(0, 9_999L)]
    [TestCase(0, 14L * 24 * 3600 * 1000 + 1)]
    [TestCase(-10, 14L * 24 * 3600 * 1000 + 1)]
    public Task Store_ttl_out_of_range_is_403(int ns, long ttl) =>
        Expect("store", Store(ns, ttl: ttl), 403, "Provided expiry/TTL is not valid.");

    [Test]
    public Task Store_ttl_above_30_days_is_403_in_private_namespaces()
    {
        long now = Now;
        JsonObject p = Store(2, now, 30L * 24 * 3600 * 1000 + 1);
        p["pubkey_ed25519"] = _alice.EdHex;
        p["signature"] = _alice.Sign($"store2{now}");
        return Expect("store", p, 403, "Provided expiry/TTL is not valid.");
    }

    [Test]
    public Task Store_timestamp_more_than_10s_ahead_is_406() =>
        Expect("store", Store(timestamp: Now + 15_000), 406, "Timestamp error: check your clock");

    [Test]
    public Task Store_expiry_more_than_10s_in_the_past_is_406() =>
        Expect("store", Store(timestamp: Now - 3_600_000, ttl: 1_800_000), 406, "Timestamp error: check your clock");

    [Test]
    public Task Store_to_an_authenticated_namespace_needs_a_signature() =>
        Expect("store", Store(2), 401, "store: signature required to store to namespace 2");

    [Test]
    public Task Store_sig_timestamp_outside_60s_is_406()
    {
        long now = Now, old = now - 120_000;
        JsonObject p = Store(2, now);
        p["pubkey_ed25519"] = _alice.EdHex;
        p["sig_timestamp"] = old;
        p["signature"] = _alice.Sign($"store2{old}");
        return Expect("store", p, 406, "store signature timestamp too far from current time");
    }

    [Test]
    public Task Store_with_a_wrong_signature_is_401()
    {
        JsonObject p = SignedStore(_alice, 2, "x");
        p["signature"] = _alice.Sign("store3" + p["timestamp"]);
        return Expect("store", p, 401, "store signature verification failed");
    }

    [Test]
    public Task Store_to_a_05_account_without_pubkey_ed25519_fails_verification()
    {
        JsonObject p = SignedStore(_alice, 2, "x");
        p.Remove("pubkey_ed25519");
        return Expect("store", p, 401, "store signature verification failed");
    }

    [Test]
    public Task Store_signed_by_a_key_that_does_not_convert_to_the_account_fails_verification()
    {
        var mallory = new TestAccount();
        JsonObject p = SignedStore(_alice, 2, "x");
        p["pubkey_ed25519"] = mallory.EdHex;
        p["signature"] = mallory.Sign("store2" + p["timestamp"]);
        return Expect("store", p, 401, "store signature verification failed");
    }

    [Test]
    public async Task Store_for_a_foreign_account_is_421_with_the_right_swarm_before_other_checks()
    {
        JsonObject p = Store(ttl: 1); // also a bad TTL: 421 is checked first
        (int status, string body, _) = await RpcAsync(ForeignNode(_alice.SessionId), "store", p);
        Assert.That(status, Is.EqualTo(421));
        JsonObject swarm = Json(body);
        Assert.That(swarm["swarm"]!.GetValue<string>(), Is.EqualTo(Net.SwarmOf(_alice.SessionId).ToString("x")));
        var members = ((JsonArray)swarm["snodes"]!).Select(s => s!["pubkey_ed25519"]!.GetValue<string>()).ToList();
        Assert.That(members, Is.EquivalentTo(Net.Nodes.Where(n => n.SwarmId == Net.SwarmOf(_alice.SessionId)).Select(n => n.Ed25519)));
        Assert.That(swarm["t"], Is.Not.Null);
        Assert.That(swarm["hf"], Is.Not.Null);
    }

    // ---- retrieve ----

    [Test]
    public Task Retrieve_from_namespace_0_needs_a_signature() =>
        Expect("retrieve", new JsonObject { ["pubkey"] = _alice.SessionId }, 401, "retrieve: request signature required");

    [TestCase(-10)]
    [TestCase(-1)]
    [TestCase(-21)]
    public async Task Retrieve_from_legacy_closed_and_public_outbox_namespaces_needs_no_signature(int ns)
    {
        (int status, string body, _) = await RpcAsync(Home, "retrieve", new JsonObject { ["pubkey"] = _alice.SessionId, ["namespace"] = ns });
        Assert.That(status, Is.EqualTo(200), body);
    }

    [Test]
    public Task Retrieve_timestamp_outside_60s_is_406()
    {
        long old = Now - 120_000;
        JsonObject p = SignedRetrieve(_alice, 0);
        p["timestamp"] = old;
        p["signature"] = _alice.Sign($"retrieve{old}");
        return Expect("retrieve", p, 406, "retrieve timestamp too far from current time");
    }

    [Test]
    public Task Retrieve_with_a_wrong_signature_is_401()
    {
        JsonObject p = SignedRetrieve(_alice, 0);
        p["namespace"] = 3;
        return Expect("retrieve", p, 401, "retrieve signature verification failed");
    }

    [Test]
    public async Task Retrieve_with_an_unknown_last_hash_lists_from_the_start()
    {
        var bob = new TestAccount();
        ServiceNodeInfo home = SwarmNode(bob.SessionId);
        foreach (string text in new[] { "one", "two" })
        {
            (int s, string b, _) = await RpcAsync(home, "store", SignedStore(bob, 2, text));
            Assert.That(s, Is.EqualTo(200), b);
        }
        JsonObject p = SignedRetrieve(bob, 2);
        p["last_hash"] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        (int status, string body, _) = await RpcAsync(home, "retrieve", p);
        Assert.That(status, Is.EqualTo(200), body);
        Assert.That(((JsonArray)Json(body)["messages"]!).Count, Is.EqualTo(2));
    }

    // ---- delete / delete_all / delete_before / expire / expire_all / get_expiries ----

    private const string SomeHash = "4sMyAuaZlMwww3oFvfhazfw7ASx/7TDtO+TVc8aAjHs";

    [Test]
    public Task Delete_with_a_wrong_signature_is_401() =>
        Expect("delete", new JsonObject
        {
            ["pubkey"] = _alice.SessionId, ["pubkey_ed25519"] = _alice.EdHex, ["messages"] = new JsonArray(SomeHash), ["signature"] = _alice.Sign("delete"),
        }, 401, "delete_msgs signature verification failed");

    [Test]
    public Task Delete_all_timestamp_outside_60s_is_406()
    {
        long old = Now - 120_000;
        return Expect("delete_all", new JsonObject
        {
            ["pubkey"] = _alice.SessionId, ["pubkey_ed25519"] = _alice.EdHex, ["namespace"] = "all", ["timestamp"] = old, ["signature"] = _alice.Sign($"delete_allall{old}"),
        }, 406, "delete_all timestamp too far from current time");
    }

    [Test]
    public Task Delete_all_with_a_wrong_signature_is_401()
    {
        long now = Now;
        return Expect("delete_all", new JsonObject
        {
            ["pubkey"] = _alice.SessionId, ["pubkey_ed25519"] = _alice.EdHex, ["namespace"] = "all", ["timestamp"] = now, ["signature"] = _alice.Sign($"delete_all{now}"),
        }, 401, "delete_all signature verification failed");
    }

    [Test]
    public Task Delete_before_too_far_in_the_future_is_401()
    {
        long future = Now + 120_000;
        return Expect("delete_before", new JsonObject
        {
            ["pubkey"] = _alice.SessionId, ["pubkey_ed25519"] = _alice.EdHex, ["before"] = future, ["signature"] = _alice.Sign($"delete_before{future}"),
        }, 401, "delete_before timestamp too far in the future");
    }

    [Test]
    public Task Expire_to_a_time_in_the_past_is_401()
    {
        long past = Now - 120_000;
        return Expect("expire", new JsonObject
        {
            ["pubkey"] = _alice.SessionId, ["pubkey_ed25519"] = _alice.EdHex, ["messages"] = new JsonArray(SomeHash), ["expiry"] = past,
            ["signature"] = _alice.Sign($"expire{past}{SomeHash}"),
        }, 401, "expire: timestamp should be >= current time");
    }

    [Test]
    public Task Expire_with_shorten_and_extend_together_is_400()
    {
        long later = Now + 120_000;
        return Expect("expire", new JsonObject
        {
            ["pubkey"] = _alice.SessionId, ["pubkey_ed25519"] = _alice.EdHex, ["messages"] = new JsonArray(SomeHash), ["expiry"] = later,
            ["shorten"] = true, ["extend"] = true, ["signature"] = _alice.Sign("x"),
        }, 400, InvalidRequest + "cannot specify both 'shorten' and 'extend'");
    }

    [Test]
    public Task Expire_all_to_a_time_in_the_past_is_406()
    {
        long past = Now - 120_000;
        return Expect("expire_all", new JsonObject
        {
            ["pubkey"] = _alice.SessionId, ["pubkey_ed25519"] = _alice.EdHex, ["expiry"] = past, ["signature"] = _alice.Sign($"expire_all{past}"),
        }, 406, "expire_all timestamp should be >= current time");
    }

    [Test]
    public Task Get_expiries_timestamp_outside_60s_is_406()
    {
        long old = Now - 120_000;
        return Expect("get_expiries", new JsonObject
        {
            ["pubkey"] = _alice.SessionId, ["pubkey_ed25519"] = _alice.EdHex, ["messages"] = new JsonArray(SomeHash), ["timestamp"] = old,
            ["signature"] = _alice.Sign($"get_expiries{old}{SomeHash}"),
        }, 406, "get_expiries timestamp too far from current time");
    }

    [Test]
    public Task Get_expiries_with_a_wrong_signature_is_401()
    {
        long now = Now;
        return Expect("get_expiries", new JsonObject
        {
            ["pubkey"] = _alice.SessionId, ["pubkey_ed25519"] = _alice.EdHex, ["messages"] = new JsonArray(SomeHash), ["timestamp"] = now,
            ["signature"] = _alice.Sign($"get_expiries{now}"),
        }, 401, "get_expiries signature verification failed");
    }

    [Test]
    public Task Oxend_request_to_another_endpoint_is_400() =>
        Expect("oxend_request", new JsonObject { ["endpoint"] = "get_info" }, 400, InvalidRequest + "Invalid oxend endpoint 'get_info'");

    // ---- batch / sequence ----

    private static JsonObject Info => new() { ["method"] = "info", ["params"] = new JsonObject() };

    [TestCase(0)]
    [TestCase(21)]
    public Task Batch_needs_1_to_20_subrequests(int count) =>
        Expect("batch", new JsonObject { ["requests"] = new JsonArray(Enumerable.Range(0, count).Select(_ => (JsonNode)Info).ToArray()) },
            400, InvalidRequest + (count == 0 ? "Invalid batch request: no valid \"requests\" field" : "Invalid batch request: subrequest limit exceeded"));

    private static IEnumerable<TestCaseData> MetaRequests()
    {
        yield return new TestCaseData("batch", new JsonObject { ["requests"] = new JsonArray(Info) });
        yield return new TestCaseData("sequence", new JsonObject { ["requests"] = new JsonArray(Info) });
        yield return new TestCaseData("ifelse", new JsonObject { ["if"] = new JsonObject { ["hf_at_least"] = new JsonArray(1, 0) }, ["then"] = Info });
    }

    [TestCaseSource(nameof(MetaRequests))]
    public Task Batch_rejects_nested_meta_requests(string meta, JsonObject parameters) =>
        Expect("batch", new JsonObject { ["requests"] = new JsonArray(Info, new JsonObject { ["method"] = meta, ["params"] = parameters }) },
            400, InvalidRequest + "Invalid batch subrequest: subrequests may not contain meta-requests");

    [Test]
    public Task Batch_with_an_unknown_subrequest_method_is_400() =>
        Expect("batch", new JsonObject { ["requests"] = new JsonArray(new JsonObject { ["method"] = "nope", ["params"] = new JsonObject() }) },
            400, InvalidRequest + "Invalid batch subrequest: invalid method \"nope\"");

    [Test]
    public async Task One_unparsable_subrequest_fails_the_whole_batch_and_nothing_runs()
    {
        var carol = new TestAccount();
        ServiceNodeInfo home = SwarmNode(carol.SessionId);
        JsonObject good = new() { ["method"] = "store", ["params"] = SignedStore(carol, 2, "must not be stored") };
        JsonObject bad = new() { ["method"] = "retrieve", ["params"] = new JsonObject { ["pubkey"] = "05" } };
        (int status, string body, _) = await RpcAsync(home, "sequence", new JsonObject { ["requests"] = new JsonArray(good, bad) });
        Assert.That((status, body), Is.EqualTo((400, InvalidRequest + "Pubkey must be 66 hex digits (33 bytes) long")));

        (status, body, _) = await RpcAsync(home, "retrieve", SignedRetrieve(carol, 2));
        Assert.That(((JsonArray)Json(body)["messages"]!).Count, Is.Zero);
    }

    [Test]
    public async Task Sequence_stops_after_the_first_failure_and_batch_runs_everything()
    {
        JsonObject failing = new() { ["method"] = "retrieve", ["params"] = new JsonObject { ["pubkey"] = _alice.SessionId } }; // 401
        var requests = new JsonArray(Info, failing, Info);
        (int status, string body, _) = await RpcAsync(Home, "sequence", new JsonObject { ["requests"] = requests.DeepClone() });
        Assert.That(status, Is.EqualTo(200));
        var codes = ((JsonArray)Json(body)["results"]!).Select(r => r!["code"]!.GetValue<int>()).ToList();
        Assert.That(codes, Is.EqualTo(new[] { 200, 401 }));

        (status, body, _) = await RpcAsync(Home, "batch", new JsonObject { ["requests"] = requests.DeepClone() });
        codes = ((JsonArray)Json(body)["results"]!).Select(r => r!["code"]!.GetValue<int>()).ToList();
        Assert.That(codes, Is.EqualTo(new[] { 200, 401, 200 }));
        Assert.That(((JsonArray)Json(body)["results"]!)[1]!["body"]!.GetValue<string>(), Is.EqualTo("retrieve: request signature required"));
    }

    [Test]
    public async Task A_foreign_account_inside_a_batch_is_a_421_subresult_with_outer_200()
    {
        JsonObject retrieve = new() { ["method"] = "retrieve", ["params"] = new JsonObject { ["pubkey"] = _alice.SessionId, ["namespace"] = -10 } };
        (int status, string body, _) = await RpcAsync(ForeignNode(_alice.SessionId), "batch", new JsonObject { ["requests"] = new JsonArray(retrieve) });
        Assert.That(status, Is.EqualTo(200));
        JsonNode result = ((JsonArray)Json(body)["results"]!)[0]!;
        Assert.That(result["code"]!.GetValue<int>(), Is.EqualTo(421));
        Assert.That(result["body"]!["swarm"]!.GetValue<string>(), Is.EqualTo(Net.SwarmOf(_alice.SessionId).ToString("x")));
    }

    // ---- HTTP level (§1) ----

    [Test]
    public async Task Unknown_paths_are_404_with_method_and_path()
    {
        using HttpResponseMessage response = await Http.GetAsync(new Uri(Home.BaseUrl, "/foo/bar"));
        Assert.That(((int)response.StatusCode, await response.Content.ReadAsStringAsync()), Is.EqualTo((404, "GET /foo/bar Not Found")));
    }

    [Test]
    public async Task Unknown_paths_are_404_even_when_the_node_is_not_ready()
    {
        Net.Faults.SetUnavailable(Home.Index, true);
        using HttpResponseMessage response = await Http.GetAsync(new Uri(Home.BaseUrl, "/nothing"));
        Assert.That((int)response.StatusCode, Is.EqualTo(404));
    }

    [Test]
    public async Task Get_stats_reports_the_version()
    {
        using HttpResponseMessage response = await Http.GetAsync(new Uri(Home.BaseUrl, "/get_stats/v1"));
        Assert.That(((int)response.StatusCode, await response.Content.ReadAsStringAsync()), Is.EqualTo((200, """{"version":"2.8.0"}""")));
    }

    [Test]
    public async Task Bodies_over_10_MiB_are_413()
    {
        // Expect: 100-continue lets the client read the early 413 instead of failing mid-upload.
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Home.BaseUrl, "/storage_rpc/v1"))
        {
            Content = new ByteArrayContent(new byte[10 * 1024 * 1024 + 1]),
        };
        request.Headers.ExpectContinue = true;
        using HttpResponseMessage response = await Http.SendAsync(request);
        Assert.That(((int)response.StatusCode, await response.Content.ReadAsStringAsync()), Is.EqualTo((413, "Request body too large")));
    }

    [Test]
    public async Task Obsolete_long_poll_header_is_410()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Home.BaseUrl, "/storage_rpc/v1"))
        {
            Content = new StringContent("""{"method":"info","params":{}}""", Encoding.UTF8),
        };
        request.Headers.Add("X-Loki-Long-Poll", "true");
        using HttpResponseMessage response = await Http.SendAsync(request);
        Assert.That(((int)response.StatusCode, await response.Content.ReadAsStringAsync()),
            Is.EqualTo((410, "long polling is no longer supported, client upgrade required")));
    }
}
