using System.Text.Json.Nodes;
using SessionInterop.LocalNet.Tests.Support;
using Sodium;

namespace SessionInterop.LocalNet.Tests;

// Closed-group member access with subaccount tokens (§4.6) and revocation (§4.4.9).
[TestFixture]
internal sealed class SubaccountTests : LocalNetFixture
{
    private readonly TestAccount _admin = new();   // the group key: group id = "03" + admin ed25519
    private readonly TestAccount _member = new();
    private string GroupId => "03" + _admin.EdHex;
    private ServiceNodeInfo Home => SwarmNode(GroupId);

    private byte[] Token(byte prefix, byte flags) => [prefix, flags, 0, 0, .. _member.EdPublic];

    private JsonObject MemberRequest(string signedPrefix, int ns, byte[] token)
    {
        long now = TestAccount.NowMs;
        return new JsonObject
        {
            ["pubkey"] = GroupId,
            ["namespace"] = ns,
            ["timestamp"] = now,
            ["subaccount"] = Convert.ToBase64String(token),
            ["subaccount_sig"] = Convert.ToBase64String(PublicKeyAuth.SignDetached(token, _admin.EdSecret)),
            ["signature"] = _member.Sign($"{signedPrefix}{ns}{now}"),
        };
    }

    private JsonObject MemberStore(int ns, byte[] token)
    {
        JsonObject p = MemberRequest("store", ns, token);
        p["ttl"] = 60_000;
        p["data"] = B64("group message");
        return p;
    }

    private JsonObject Revoke(string method, byte[] token)
    {
        long now = TestAccount.NowMs;
        byte[] signed = [.. System.Text.Encoding.ASCII.GetBytes(method + now), .. token];
        return new JsonObject
        {
            ["pubkey"] = GroupId,
            [method == "revoke_subaccount" ? "revoke" : "unrevoke"] = Convert.ToHexStringLower(token),
            ["timestamp"] = now,
            ["signature"] = Convert.ToBase64String(PublicKeyAuth.SignDetached(signed, _admin.EdSecret)),
        };
    }

    [Test]
    public async Task A_member_with_read_write_token_stores_and_retrieves_group_messages()
    {
        byte[] token = Token(0x03, 0x03);
        (int status, string body, _) = await RpcAsync(Home, "store", MemberStore(11, token));
        Assert.That(status, Is.EqualTo(200), body);
        (status, body, _) = await RpcAsync(Home, "retrieve", MemberRequest("retrieve", 11, token));
        Assert.That(status, Is.EqualTo(200), body);
        Assert.That(((JsonArray)Json(body)["messages"]!).Count, Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public async Task A_subaccount_without_delete_may_not_shorten_expiries()
    {
        byte[] token = Token(0x03, 0x03); // read + write, no delete
        (int status, string body, _) = await RpcAsync(Home, "store", MemberStore(11, token));
        Assert.That(status, Is.EqualTo(200), body);
        string hash = Json(body)["hash"]!.GetValue<string>();
        long target = TestAccount.NowMs + 30_000;
        var expire = new JsonObject
        {
            ["pubkey"] = GroupId, ["messages"] = new JsonArray(hash), ["expiry"] = target, ["shorten"] = true,
            ["subaccount"] = Convert.ToBase64String(token),
            ["subaccount_sig"] = Convert.ToBase64String(PublicKeyAuth.SignDetached(token, _admin.EdSecret)),
            ["signature"] = _member.Sign($"expireshorten{target}{hash}"),
        };
        (status, body, _) = await RpcAsync(Home, "expire", expire);
        Assert.That((status, body), Is.EqualTo((400, "expire: shorten parameter cannot be used with this subaccount token (missing delete access)")));
    }

    [Test]
    public async Task A_token_without_the_required_flag_is_refused()
    {
        (int status, string body, _) = await RpcAsync(Home, "store", MemberStore(11, Token(0x03, 0x01)));
        Assert.That((status, body), Is.EqualTo((401, "store signature verification failed")));
    }

    [Test]
    public async Task A_token_for_another_prefix_is_refused_unless_it_allows_any_prefix()
    {
        (int status, _, _) = await RpcAsync(Home, "retrieve", MemberRequest("retrieve", 11, Token(0x05, 0x01)));
        Assert.That(status, Is.EqualTo(401));
        (status, _, _) = await RpcAsync(Home, "retrieve", MemberRequest("retrieve", 11, Token(0x05, 0x09)));
        Assert.That(status, Is.EqualTo(200));
    }

    [Test]
    public async Task A_token_not_signed_by_the_group_key_is_refused()
    {
        JsonObject p = MemberRequest("retrieve", 11, Token(0x03, 0x01));
        p["subaccount_sig"] = _member.Sign("not the token");
        (int status, string body, _) = await RpcAsync(Home, "retrieve", p);
        Assert.That((status, body), Is.EqualTo((401, "retrieve signature verification failed")));
    }

    [Test]
    public async Task A_revoked_token_loses_access_except_to_unrevocable_namespaces_until_unrevoked()
    {
        var member = new TestAccount();
        byte[] token = [0x03, 0x01, 0, 0, .. member.EdPublic];
        JsonObject Retrieve(int ns)
        {
            long now = TestAccount.NowMs;
            return new JsonObject
            {
                ["pubkey"] = GroupId, ["namespace"] = ns, ["timestamp"] = now, ["subaccount"] = Convert.ToHexStringLower(token),
                ["subaccount_sig"] = Convert.ToBase64String(PublicKeyAuth.SignDetached(token, _admin.EdSecret)),
                ["signature"] = member.Sign($"retrieve{ns}{now}"),
            };
        }

        (int status, string body, _) = await RpcAsync(Home, "revoke_subaccount", Revoke("revoke_subaccount", token));
        Assert.That(status, Is.EqualTo(200), body);
        Assert.That((await RpcAsync(Home, "retrieve", Retrieve(11))).Status, Is.EqualTo(401));
        Assert.That((await RpcAsync(Home, "retrieve", Retrieve(-11))).Status, Is.EqualTo(200));

        (status, body, _) = await RpcAsync(Home, "unrevoke_subaccount", Revoke("unrevoke_subaccount", token));
        Assert.That(status, Is.EqualTo(200), body);
        Assert.That(Json(body)["swarm"]![Home.Ed25519]!["count"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That((await RpcAsync(Home, "retrieve", Retrieve(11))).Status, Is.EqualTo(200));
    }

    [Test]
    public async Task Revocation_signed_by_someone_else_is_401()
    {
        JsonObject p = Revoke("revoke_subaccount", Token(0x03, 0x01));
        p["signature"] = _member.Sign("revoke_subaccount");
        (int status, string body, _) = await RpcAsync(Home, "revoke_subaccount", p);
        Assert.That((status, body), Is.EqualTo((401, "revoke_subaccount signature verification failed")));
    }

    [Test]
    public async Task Malformed_subaccount_token_is_400()
    {
        JsonObject p = MemberRequest("retrieve", 11, Token(0x03, 0x01));
        p["subaccount"] = "abcd";
        (int status, string body, _) = await RpcAsync(Home, "retrieve", p);
        Assert.That((status, body), Is.EqualTo((400, "invalid request: invalid subaccount: expected base64 or hex-encoded subaccount token")));
    }
}
