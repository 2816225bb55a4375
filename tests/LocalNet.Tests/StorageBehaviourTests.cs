using System.Text.Json.Nodes;
using SessionInterop.LocalNet.Tests.Support;

namespace SessionInterop.LocalNet.Tests;

// What a valid storage RPC does (§4.4): ordering and last_hash, limits, duplicates, deletes,
// expiries, t/hf decorations, and persistence of the SQLite stores across restarts.
[TestFixture]
internal sealed class StorageBehaviourTests : LocalNetFixture
{
    private async Task<JsonObject> Ok(ServiceNodeInfo node, string method, JsonObject parameters)
    {
        (int status, string body, _) = await RpcAsync(node, method, parameters);
        Assert.That(status, Is.EqualTo(200), body);
        return Json(body);
    }

    private static List<string> Hashes(JsonObject retrieve) =>
        ((JsonArray)retrieve["messages"]!).Select(m => m!["hash"]!.GetValue<string>()).ToList();

    [Test]
    public async Task Messages_come_back_in_insertion_order_and_last_hash_pages_through_them()
    {
        var a = new TestAccount();
        ServiceNodeInfo home = SwarmNode(a.SessionId);
        var stored = new List<string>();
        for (int i = 0; i < 3; i++)
            stored.Add((await Ok(home, "store", SignedStore(a, 2, "m" + i)))["hash"]!.GetValue<string>());

        JsonObject all = await Ok(home, "retrieve", SignedRetrieve(a, 2));
        Assert.That(Hashes(all), Is.EqualTo(stored));
        Assert.That(all["more"]!.GetValue<bool>(), Is.False);
        JsonObject first = (JsonObject)((JsonArray)all["messages"]!)[0]!;
        Assert.That(first["data"]!.GetValue<string>(), Is.EqualTo(B64("m0")));
        Assert.That(first["expiration"]!.GetValue<long>(), Is.EqualTo(first["timestamp"]!.GetValue<long>() + 3_600_000));

        JsonObject page = SignedRetrieve(a, 2);
        page["last_hash"] = stored[0];
        page["max_count"] = 1;
        JsonObject second = await Ok(home, "retrieve", page);
        Assert.That(Hashes(second), Is.EqualTo(new[] { stored[1] }));
        Assert.That(second["more"]!.GetValue<bool>(), Is.True);
    }

    private ServiceNodeInfo[] Members(TestAccount a) => Net.Nodes.Where(n => n.SwarmId == Net.SwarmOf(a.SessionId)).ToArray();

    private async Task ReplicationDone()
    {
        for (int i = 0; i < 200 && Net.Faults.PendingReplications > 0; i++) await Task.Delay(25);
        Assert.That(Net.Faults.PendingReplications, Is.Zero, "replication finished");
    }

    [Test]
    public async Task Another_member_of_the_swarm_sees_the_same_messages_once_replicated()
    {
        var a = new TestAccount();
        ServiceNodeInfo[] members = Members(a);
        Net.Faults.SetReplication(TimeSpan.FromMilliseconds(300), TimeSpan.Zero);
        string hash = (await Ok(members[0], "store", SignedStore(a, 2, "replicated")))["hash"]!.GetValue<string>();
        Assert.That(Hashes(await Ok(members[^1], "retrieve", SignedRetrieve(a, 2))), Is.Empty, "not there yet: replication is asynchronous");
        await ReplicationDone();
        Assert.That(Hashes(await Ok(members[^1], "retrieve", SignedRetrieve(a, 2))), Is.EqualTo(new[] { hash }));
    }

    /// <summary>Stores m1 at member A and m2 at member B at the same moment: A lists m1, m2 and B lists m2, m1.</summary>
    private async Task<(string M1, string M2)> StoreConcurrentlyAtTwoMembers(TestAccount a, ServiceNodeInfo memberA, ServiceNodeInfo memberB)
    {
        Net.Faults.SetReplication(TimeSpan.FromMilliseconds(400), TimeSpan.Zero);
        string m1 = (await Ok(memberA, "store", SignedStore(a, 2, "at A")))["hash"]!.GetValue<string>();
        string m2 = (await Ok(memberB, "store", SignedStore(a, 2, "at B")))["hash"]!.GetValue<string>();
        await ReplicationDone();
        return (m1, m2);
    }

    [Test]
    public async Task Each_member_keeps_its_own_insertion_order()
    {
        var a = new TestAccount();
        ServiceNodeInfo[] members = Members(a);
        (string m1, string m2) = await StoreConcurrentlyAtTwoMembers(a, members[0], members[1]);
        Assert.That(Hashes(await Ok(members[0], "retrieve", SignedRetrieve(a, 2))), Is.EqualTo(new[] { m1, m2 }));
        Assert.That(Hashes(await Ok(members[1], "retrieve", SignedRetrieve(a, 2))), Is.EqualTo(new[] { m2, m1 }));
    }

    [Test]
    public async Task Continuing_at_another_member_with_the_first_members_last_hash_skips_a_message_as_on_the_real_network()
    {
        var a = new TestAccount();
        ServiceNodeInfo[] members = Members(a);
        (string m1, string m2) = await StoreConcurrentlyAtTwoMembers(a, members[0], members[1]);

        // Page 1 at B (its order m2, m1) ends between them; page 2 at A (order m1, m2) after m2 is empty: m1 is never seen.
        JsonObject first = SignedRetrieve(a, 2);
        first["max_count"] = 1;
        JsonObject page1 = await Ok(members[1], "retrieve", first);
        Assert.That(Hashes(page1), Is.EqualTo(new[] { m2 }));
        Assert.That(page1["more"]!.GetValue<bool>(), Is.True);
        JsonObject next = SignedRetrieve(a, 2);
        next["last_hash"] = m2;
        Assert.That(Hashes(await Ok(members[0], "retrieve", next)), Is.Empty, "m1 is skipped");

        // With each member's own last hash nothing is skipped; an unknown hash lists from the start.
        JsonObject same = SignedRetrieve(a, 2);
        same["last_hash"] = m2;
        Assert.That(Hashes(await Ok(members[1], "retrieve", same)), Is.EqualTo(new[] { m1 }));
        JsonObject unknown = SignedRetrieve(a, 2);
        unknown["last_hash"] = new string('A', 43);
        Assert.That(Hashes(await Ok(members[0], "retrieve", unknown)), Is.EqualTo(new[] { m1, m2 }));
    }

    [Test]
    public async Task A_store_reaches_a_crashed_member_once_it_recovers()
    {
        var a = new TestAccount();
        ServiceNodeInfo[] members = Members(a);
        Net.Faults.SetReplication(TimeSpan.Zero, TimeSpan.Zero);
        Net.Faults.CrashNode(members[1].Index);
        JsonObject stored = await Ok(members[0], "store", SignedStore(a, 2, "while down"));
        string hash = stored["hash"]!.GetValue<string>();
        Assert.That(stored["swarm"]![members[1].Ed25519]!["failed"]!.GetValue<bool>(), Is.True, "the crashed member did not answer the store");
        await Task.Delay(300);
        Assert.That(Net.Faults.PendingReplications, Is.GreaterThan(0), "the copy waits for the member");
        Net.Faults.RecoverNode(members[1].Index);
        await ReplicationDone();
        Assert.That(Hashes(await Ok(members[1], "retrieve", SignedRetrieve(a, 2))), Is.EqualTo(new[] { hash }));
    }

    [Test]
    public async Task A_delete_reaches_every_member()
    {
        var a = new TestAccount();
        ServiceNodeInfo[] members = Members(a);
        string hash = (await Ok(members[0], "store", SignedStore(a, 2, "to delete")))["hash"]!.GetValue<string>();
        await ReplicationDone();
        JsonObject delete = new()
        {
            ["pubkey"] = a.SessionId,
            ["pubkey_ed25519"] = a.EdHex,
            ["messages"] = new JsonArray(hash),
            ["signature"] = a.Sign("delete" + hash),
        };
        await Ok(members[1], "delete", delete);
        foreach (ServiceNodeInfo m in members)
            Assert.That(Hashes(await Ok(m, "retrieve", SignedRetrieve(a, 2))), Is.Empty, $"node {m.Index}");
    }

    [Test]
    public async Task Store_answer_lists_every_swarm_member_with_a_valid_node_signature_and_t_on_the_entry_node()
    {
        var a = new TestAccount();
        ServiceNodeInfo home = SwarmNode(a.SessionId);
        JsonObject answer = await Ok(home, "store", SignedStore(a, 2, "signed"));
        string hash = answer["hash"]!.GetValue<string>();
        var swarm = (JsonObject)answer["swarm"]!;
        Assert.That(swarm.Select(kv => kv.Key), Is.EquivalentTo(Net.Nodes.Where(n => n.SwarmId == home.SwarmId).Select(n => n.Ed25519)));
        foreach ((string ed, JsonNode? entry) in swarm)
        {
            byte[] sig = Convert.FromBase64String(entry!["signature"]!.GetValue<string>());
            Assert.That(Sodium.PublicKeyAuth.VerifyDetached(sig, System.Text.Encoding.ASCII.GetBytes(hash), Convert.FromHexString(ed)), Is.True);
            Assert.That(entry["t"] is not null, Is.EqualTo(ed == home.Ed25519));
        }
        Assert.That(answer["hf"]!.ToJsonString(), Is.EqualTo("[19,3]"));
    }

    [Test]
    public async Task Storing_the_same_message_twice_reports_already()
    {
        var a = new TestAccount();
        ServiceNodeInfo home = SwarmNode(a.SessionId);
        JsonObject p = SignedStore(a, 2, "dup");
        await Ok(home, "store", p);
        JsonObject again = await Ok(home, "store", p);
        Assert.That(again["swarm"]![home.Ed25519]!["already"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public async Task Storing_to_a_public_outbox_replaces_the_namespace()
    {
        var a = new TestAccount();
        ServiceNodeInfo home = SwarmNode(a.SessionId);
        await Ok(home, "store", SignedStore(a, -1, "old"));
        string newest = (await Ok(home, "store", SignedStore(a, -1, "new")))["hash"]!.GetValue<string>();
        JsonObject list = await Ok(home, "retrieve", new JsonObject { ["pubkey"] = a.SessionId, ["namespace"] = -1 });
        Assert.That(Hashes(list), Is.EqualTo(new[] { newest }));
    }

    [Test]
    public async Task Unauthenticated_deposit_into_namespace_0_is_accepted()
    {
        var a = new TestAccount();
        JsonObject answer = await Ok(SwarmNode(a.SessionId), "store", new JsonObject
        {
            ["pubkey"] = a.SessionId, ["timestamp"] = TestAccount.NowMs, ["ttl"] = 60_000, ["data"] = B64("dm"),
        });
        Assert.That(answer["hash"]!.GetValue<string>(), Has.Length.EqualTo(43));
    }

    [Test]
    public async Task Delete_removes_the_named_messages_and_reports_them_sorted()
    {
        var a = new TestAccount();
        ServiceNodeInfo home = SwarmNode(a.SessionId);
        string h1 = (await Ok(home, "store", SignedStore(a, 2, "d1")))["hash"]!.GetValue<string>();
        string h2 = (await Ok(home, "store", SignedStore(a, 2, "d2")))["hash"]!.GetValue<string>();
        JsonObject deleted = await Ok(home, "delete", new JsonObject
        {
            ["pubkey"] = a.SessionId, ["pubkey_ed25519"] = a.EdHex, ["messages"] = new JsonArray(h1), ["signature"] = a.Sign("delete" + h1),
        });
        Assert.That(deleted["swarm"]![home.Ed25519]!["deleted"]!.ToJsonString(), Is.EqualTo(new JsonArray(h1).ToJsonString()));
        Assert.That(Hashes(await Ok(home, "retrieve", SignedRetrieve(a, 2))), Is.EqualTo(new[] { h2 }));

        (int status, _, _) = await RpcAsync(home, "delete", new JsonObject
        {
            ["pubkey"] = a.SessionId, ["pubkey_ed25519"] = a.EdHex, ["messages"] = new JsonArray(h1), ["required"] = true, ["signature"] = a.Sign("delete" + h1),
        });
        Assert.That(status, Is.EqualTo(404), "required:true and nothing deleted");
    }

    [Test]
    public async Task Delete_all_in_all_namespaces_groups_deleted_hashes_by_namespace()
    {
        var a = new TestAccount();
        ServiceNodeInfo home = SwarmNode(a.SessionId);
        await Ok(home, "store", SignedStore(a, 2, "x"));
        await Ok(home, "store", SignedStore(a, 3, "y"));
        long now = TestAccount.NowMs;
        JsonObject answer = await Ok(home, "delete_all", new JsonObject
        {
            ["pubkey"] = a.SessionId, ["pubkey_ed25519"] = a.EdHex, ["namespace"] = "all", ["timestamp"] = now, ["signature"] = a.Sign($"delete_allall{now}"),
        });
        var byNs = (JsonObject)answer["swarm"]![home.Ed25519]!["deleted"]!;
        Assert.That(byNs.Select(kv => kv.Key), Is.EquivalentTo(new[] { "2", "3" }));
        Assert.That(Hashes(await Ok(home, "retrieve", SignedRetrieve(a, 2))), Is.Empty);
    }

    [Test]
    public async Task Expire_shortens_and_get_expiries_reports_the_new_value()
    {
        var a = new TestAccount();
        ServiceNodeInfo home = SwarmNode(a.SessionId);
        string h = (await Ok(home, "store", SignedStore(a, 2, "e")))["hash"]!.GetValue<string>();
        long target = TestAccount.NowMs + 600_000;
        JsonObject expire = await Ok(home, "expire", new JsonObject
        {
            ["pubkey"] = a.SessionId, ["pubkey_ed25519"] = a.EdHex, ["messages"] = new JsonArray(h), ["expiry"] = target, ["shorten"] = true,
            ["signature"] = a.Sign($"expireshorten{target}{h}"),
        });
        Assert.That(expire["swarm"]![home.Ed25519]!["updated"]!.ToJsonString(), Is.EqualTo(new JsonArray(h).ToJsonString()));

        long now = TestAccount.NowMs;
        JsonObject expiries = await Ok(home, "get_expiries", new JsonObject
        {
            ["pubkey"] = a.SessionId, ["pubkey_ed25519"] = a.EdHex, ["messages"] = new JsonArray(h), ["timestamp"] = now, ["signature"] = a.Sign($"get_expiries{now}{h}"),
        });
        Assert.That(expiries["expiries"]![h]!.GetValue<long>(), Is.EqualTo(target));
        Assert.That(expiries["t"], Is.Null, "get_expiries carries no t/hf");
    }

    [Test]
    public async Task Expire_with_one_expiry_per_message_returns_the_applied_list()
    {
        var a = new TestAccount();
        ServiceNodeInfo home = SwarmNode(a.SessionId);
        string h1 = (await Ok(home, "store", SignedStore(a, 2, "x1")))["hash"]!.GetValue<string>();
        string h2 = (await Ok(home, "store", SignedStore(a, 2, "x2")))["hash"]!.GetValue<string>();
        long e1 = TestAccount.NowMs + 100_000, e2 = e1 + 1;
        JsonObject answer = await Ok(home, "expire", new JsonObject
        {
            ["pubkey"] = a.SessionId, ["pubkey_ed25519"] = a.EdHex, ["messages"] = new JsonArray(h1, h2), ["expiry"] = new JsonArray(e1, e2),
            ["signature"] = a.Sign($"expire{e1}{e2}{h1}{h2}"),
        });
        JsonNode mine = answer["swarm"]![home.Ed25519]!;
        var pairs = ((JsonArray)mine["updated"]!).Select(h => h!.GetValue<string>())
            .Zip(((JsonArray)mine["expiry"]!).Select(e => e!.GetValue<long>())).ToDictionary(p => p.First, p => p.Second);
        Assert.That(pairs, Is.EquivalentTo(new Dictionary<string, long> { [h1] = e1, [h2] = e2 }));
    }

    [Test]
    public async Task Expired_messages_are_no_longer_returned()
    {
        var a = new TestAccount();
        ServiceNodeInfo home = SwarmNode(a.SessionId);
        await Ok(home, "store", new JsonObject
        {
            ["pubkey"] = a.SessionId, ["namespace"] = -10, ["timestamp"] = TestAccount.NowMs, ["ttl"] = 10_000, ["data"] = B64("short-lived"),
        });
        var retrieve = new JsonObject { ["pubkey"] = a.SessionId, ["namespace"] = -10 };
        Assert.That(Hashes(await Ok(home, "retrieve", retrieve.DeepClone().AsObject())), Has.Count.EqualTo(1));

        Net.Faults.SkewClock(home.Index, TimeSpan.FromSeconds(11)); // the node's clock passes the expiry
        Assert.That(Hashes(await Ok(home, "retrieve", retrieve.DeepClone().AsObject())), Is.Empty);
    }

    [Test]
    public async Task Get_swarm_and_info_answer_with_t_and_hf()
    {
        var a = new TestAccount();
        JsonObject swarm = await Ok(ForeignNode(a.SessionId), "get_swarm", new JsonObject { ["pubkey"] = a.SessionId });
        Assert.That(swarm["swarm"]!.GetValue<string>(), Is.EqualTo(Net.SwarmOf(a.SessionId).ToString("x")));
        JsonNode first = ((JsonArray)swarm["snodes"]!)[0]!;
        Assert.That(first["port"]!.GetValue<string>(), Is.EqualTo(first["port_https"]!.GetValue<int>().ToString()));
        Assert.That(first["address"]!.GetValue<string>(), Does.EndWith(".snode"));

        JsonObject info = await Ok(Node(1), "info", new JsonObject());
        Assert.That(info["timestamp"]!.GetValue<long>(), Is.EqualTo(TestAccount.NowMs).Within(10_000));
    }

    [Test]
    public async Task Oxend_get_service_nodes_lists_the_network()
    {
        JsonObject answer = await Ok(Node(1), "oxend_request", new JsonObject
        {
            ["endpoint"] = "get_service_nodes",
            ["params"] = new JsonObject { ["active_only"] = true, ["fields"] = new JsonObject { ["public_ip"] = true, ["storage_port"] = true } },
        });
        var states = (JsonArray)answer["result"]!["service_node_states"]!;
        Assert.That(states, Has.Count.EqualTo(Net.Nodes.Count));
        Assert.That(((JsonObject)states[0]!).Select(kv => kv.Key), Is.EquivalentTo(new[] { "public_ip", "storage_port" }));
    }

    [TestCase("hf_at_least", "[19,3]", true)]
    [TestCase("hf_before", "[19,3]", false)]
    [TestCase("v_at_least", "[2,9,0]", false)]
    [TestCase("v_before", "[2,9,0]", true)]
    public async Task Ifelse_runs_the_branch_chosen_by_the_condition(string key, string value, bool expected)
    {
        JsonObject answer = await Ok(Node(1), "ifelse", new JsonObject
        {
            ["if"] = new JsonObject { [key] = JsonNode.Parse(value) },
            ["then"] = new JsonObject { ["method"] = "info", ["params"] = new JsonObject() },
            ["else"] = new JsonObject { ["method"] = "get_swarm", ["params"] = new JsonObject { ["pubkey"] = new TestAccount().SessionId } },
        });
        Assert.That(answer["condition"]!.GetValue<bool>(), Is.EqualTo(expected));
        Assert.That(answer["result"]!["body"]![expected ? "version" : "snodes"], Is.Not.Null);
    }

    [Test]
    public async Task Active_nodes_bin_packs_51_bytes_per_node()
    {
        (int status, string body, _) = await RpcAsync(Node(2), """{"method":"active_nodes_bin","params":{}}""");
        Assert.That(status, Is.EqualTo(200), body);
        byte[] blob = Convert.FromBase64String(body);
        Assert.That(blob, Has.Length.EqualTo(51 * Net.Nodes.Count));
        Assert.That(Convert.ToHexStringLower(blob[..32]), Is.EqualTo(Node(1).Ed25519));
        Assert.That(blob[40..44], Is.EqualTo(new byte[] { 127, 0, 1, 1 }));
        Assert.That(blob[44] << 8 | blob[45], Is.EqualTo(Node(1).Port));
    }

    [Test]
    public async Task A_restarted_localnet_on_the_same_data_folder_keeps_messages_and_identities()
    {
        string dir = Path.Combine(Path.GetTempPath(), "localnet-restart-" + Guid.NewGuid().ToString("n"));
        try
        {
            var a = new TestAccount();
            string hash;
            string[] identities;
            // Replication slower than the run: the copies still pending at stop are applied then.
            await using (LocalNetwork first = await LocalNetwork.StartAsync(new LocalNetOptions { Nodes = 3, DataDirectory = dir, ReplicationDelay = TimeSpan.FromHours(1) }))
            {
                using HttpClient http = first.CreateHttpClient();
                using var content = new StringContent(new JsonObject { ["method"] = "store", ["params"] = SignedStore(a, 2, "persist") }.ToJsonString());
                using HttpResponseMessage r = await http.PostAsync(new Uri(first.Nodes[0].BaseUrl, "/storage_rpc/v1"), content);
                hash = Json(await r.Content.ReadAsStringAsync())["hash"]!.GetValue<string>();
                identities = first.Nodes.Select(n => n.Ed25519).ToArray();
            }
            await using LocalNetwork second = await LocalNetwork.StartAsync(new LocalNetOptions { Nodes = 3, DataDirectory = dir });
            Assert.That(second.Nodes.Select(n => n.Ed25519), Is.EqualTo(identities));
            using HttpClient http2 = second.CreateHttpClient();
            using var retrieve = new StringContent(new JsonObject { ["method"] = "retrieve", ["params"] = SignedRetrieve(a, 2) }.ToJsonString());
            using HttpResponseMessage r2 = await http2.PostAsync(new Uri(second.Nodes[1].BaseUrl, "/storage_rpc/v1"), retrieve);
            Assert.That(Hashes(Json(await r2.Content.ReadAsStringAsync())), Is.EqualTo(new[] { hash }));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
