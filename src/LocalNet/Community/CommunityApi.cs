using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SessionInterop.LocalNet.Community;

/// <summary>
/// The SOGS v0.3 endpoints a client uses (protocol-network.md §7.2), dispatched on an already
/// authenticated request: capabilities, rooms, room info and pollInfo, messages recent/before/since,
/// one message, post/edit/delete, files, blinded DMs (inbox/outbox), batch and sequence.
/// Reactions, pins, moderation and room edits are not emulated.
/// </summary>
internal sealed partial class CommunityApi(CommunityStore store, bool requireBlind, TimeProvider time)
{
    /// <summary>Largest post `data` accepted (decoded bytes); more → 413 (a LocalNet choice, see docs/communities.md).</summary>
    internal const int MaxPostBytes = 100_000;
    /// <summary>Post rate limit: at most this many posts per user and room in <see cref="RateWindowSeconds"/> → 429.</summary>
    internal const int RateLimitPosts = 5;
    internal const double RateWindowSeconds = 16;
    internal const int MaxFileBytes = 10_000_000;
    private const double DmTtlSeconds = 15 * 24 * 3600;
    private const double FileTtlSeconds = 3600;
    private const double PostedFileTtlSeconds = 15 * 24 * 3600;

    private double Now => time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;

    internal CommunityReply Handle(CommunityRequest r, string? user)
    {
        try
        {
            return Route(r, user);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            return CommunityReply.BadRequest("Invalid request: " + e.GetType().Name);
        }
    }

    private CommunityReply Route(CommunityRequest r, string? user)
    {
        string[] p = r.Path.Trim('/').Split('/');
        string m = r.Method;
        switch (p)
        {
            case ["capabilities"] when m == "GET": return Capabilities(r);
            case ["rooms"] when m == "GET": return CommunityReply.Json(200, new JsonArray([.. store.Rooms().Where(x => store.Permissions(x, user).Read).Select(x => RoomJson(x, user))]));
            case ["batch"] when m == "POST": return Batch(r, user, stopOnError: false);
            case ["sequence"] when m == "POST": return Batch(r, user, stopOnError: true);
            case ["inbox"] when m == "GET": return Dms(user, outbox: false, 0, r);
            case ["inbox", "since", var id] when m == "GET": return Dms(user, outbox: false, ParseId(id), r);
            case ["outbox"] when m == "GET": return Dms(user, outbox: true, 0, r);
            case ["outbox", "since", var id] when m == "GET": return Dms(user, outbox: true, ParseId(id), r);
            case ["inbox"] when m == "DELETE": return RequireBlindedUser(user) ?? CommunityReply.Json(200, new JsonObject { ["deleted"] = store.ClearInbox(user!) });
            case ["inbox", var to] when m == "POST": return SendDm(r, user, to);
            case ["room", var token, .. var rest]: return RoomRoute(r, user, token, rest, m);
        }
        return CommunityReply.NotFound();
    }

    private CommunityReply RoomRoute(CommunityRequest r, string? user, string token, string[] rest, string m)
    {
        RoomRow? room = store.Room(token);
        if (room is null) return CommunityReply.NotFound();
        var (read, write, upload) = store.Permissions(room, user);
        if (!read) return user is null ? Unauthorized() : CommunityReply.Forbidden();
        switch (rest)
        {
            case [] when m == "GET": return CommunityReply.Json(200, RoomJson(room, user));
            case ["pollInfo", var n] when m == "GET":
                var info = PermissionsJson(new JsonObject { ["token"] = room.Token, ["active_users"] = 0 }, room, user);
                if (ParseId(n) != room.InfoUpdates) info["details"] = RoomJson(room, user);
                return CommunityReply.Json(200, info);
            case ["messages", "recent"] when m == "GET": return Messages(store.Recent(room.Token, Limit(r), null));
            case ["messages", "before", var id] when m == "GET": return Messages(store.Recent(room.Token, Limit(r), ParseId(id)));
            case ["messages", "since", var seq] when m == "GET": return Messages(store.Since(room.Token, ParseId(seq), Limit(r)));
            case ["message", var id] when m == "GET":
                MessageRow? one = store.Message(room.Token, ParseId(id));
                return one?.Data is null ? CommunityReply.NotFound() : CommunityReply.Json(200, MessageJson(one));
            case ["message"] when m == "POST": return Post(r, user, room, write);
            case ["message", var id] when m == "PUT": return Edit(r, user, room, write, ParseId(id));
            case ["message", var id] when m == "DELETE": return Delete(user, room, ParseId(id));
            case ["file"] when m == "POST": return Upload(r, user, room, write, upload);
            // pysogs: /file/<int:id>, and /file/<int:id>/<filename> with the name ignored.
            case ["file", var id] when m == "GET" && IsDecimal(id): return ServeFile(room, ParseId(id));
            case ["file", var id, _] when m == "GET" && IsDecimal(id): return ServeFile(room, ParseId(id));
        }
        return CommunityReply.NotFound();
    }

    private CommunityReply Capabilities(CommunityRequest r)
    {
        var caps = new List<string> { "sogs" };
        if (requireBlind) caps.Add("blind");
        caps.Sort(StringComparer.Ordinal);
        var json = new JsonObject { ["capabilities"] = new JsonArray([.. caps.Select(c => (JsonNode)c)]) };
        string? required = QueryValue(r.Query, "required");
        if (required is not null)
        {
            var missing = required.Split(',', StringSplitOptions.RemoveEmptyEntries).Where(c => !caps.Contains(c)).ToList();
            if (missing.Count > 0)
            {
                json["missing"] = new JsonArray([.. missing.Select(c => (JsonNode)c)]);
                return CommunityReply.Json(412, json);
            }
        }
        return CommunityReply.Json(200, json);
    }

    // ------------------------------------------------------------------ posting

    private CommunityReply Post(CommunityRequest r, string? user, RoomRow room, bool write)
    {
        if (user is null) return Unauthorized();
        if (!write) return CommunityReply.Forbidden();
        if (!TryReadPost(r, out byte[] data, out byte[] signature, out CommunityReply? error)) return error!;
        if (store.PostsSince(room.Token, user, Now - RateWindowSeconds) >= RateLimitPosts)
            return CommunityReply.Text(429, "Rate limit exceeded");
        MessageRow row = store.Post(room.Token, user, data, signature, Now);
        if (JsonNode.Parse(r.Body) is JsonObject body && body["files"] is JsonArray files)
            store.ExtendFiles(room.Token, files.Select(f => f!.GetValue<long>()), Now + PostedFileTtlSeconds);
        return CommunityReply.Json(201, MessageJson(row));
    }

    private CommunityReply Edit(CommunityRequest r, string? user, RoomRow room, bool write, long id)
    {
        if (user is null) return Unauthorized();
        MessageRow? row = store.Message(room.Token, id);
        if (row?.Data is null) return CommunityReply.NotFound();
        if (!write || row.SessionId != user) return CommunityReply.Forbidden();
        if (!TryReadPost(r, out byte[] data, out byte[] signature, out CommunityReply? error)) return error!;
        store.Edit(room.Token, id, data, signature, Now);
        return CommunityReply.Json(200, new JsonObject());
    }

    private CommunityReply Delete(string? user, RoomRow room, long id)
    {
        if (user is null) return Unauthorized();
        MessageRow? row = store.Message(room.Token, id);
        if (row?.Data is null) return CommunityReply.NotFound();
        if (row.SessionId != user) return CommunityReply.Forbidden(); // no moderators in LocalNet
        store.Delete(room.Token, id);
        return CommunityReply.Json(200, new JsonObject());
    }

    private static bool TryReadPost(CommunityRequest r, out byte[] data, out byte[] signature, out CommunityReply? error)
    {
        data = signature = [];
        error = null;
        if (JsonNode.Parse(r.Body) is not JsonObject body || body["data"] is not JsonValue d || body["signature"] is not JsonValue s)
        {
            error = CommunityReply.BadRequest("Invalid request: data and signature are required");
            return false;
        }
        string dataText = d.GetValue<string>();
        if (dataText.Length > (MaxPostBytes + 2) / 3 * 4 + 4)
        {
            error = CommunityReply.Text(413, "Message too large");
            return false;
        }
        data = Convert.FromBase64String(dataText);
        signature = Convert.FromBase64String(s.GetValue<string>());
        if (data.Length == 0 || data.Length > MaxPostBytes || signature.Length != 64)
        {
            error = data.Length > MaxPostBytes ? CommunityReply.Text(413, "Message too large") : CommunityReply.BadRequest("Invalid request: bad data or signature");
            return false;
        }
        return true;
    }

    private CommunityReply Upload(CommunityRequest r, string? user, RoomRow room, bool write, bool upload)
    {
        if (user is null) return Unauthorized();
        if (!upload || !write) return CommunityReply.Forbidden(); // pysogs: upload counts only with write
        if (r.Body.Length == 0) return CommunityReply.BadRequest("No file data");
        if (r.Body.Length > MaxFileBytes) return CommunityReply.Text(413, "File too large");
        long id = store.AddFile(room.Token, user, r.Body, RoomFileNames.FromContentDisposition(r.Header("Content-Disposition")), Now, FileTtlSeconds);
        return CommunityReply.Json(201, new JsonObject { ["id"] = id });
    }

    /// <summary>The bytes as uploaded, with pysogs's headers: the uploader's name (RFC 5987), upload date and expiry.</summary>
    private CommunityReply ServeFile(RoomRow room, long id)
    {
        var file = store.File(room.Token, id, Now);
        if (file is null) return CommunityReply.NotFound();
        return new CommunityReply(200, "application/octet-stream", file.Value.Data)
        {
            Headers = new Dictionary<string, string>
            {
                ["Content-Disposition"] = RoomFileNames.ContentDisposition(file.Value.Filename),
                ["Date"] = HttpDate(file.Value.Uploaded),
                ["Expires"] = HttpDate(file.Value.Expires),
            },
        };
    }

    private static string HttpDate(double unixSeconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)(unixSeconds * 1000)).ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    private static bool IsDecimal(string text) => text.Length is > 0 and <= 18 && text.All(char.IsAsciiDigit);

    // ------------------------------------------------------------------ blinded DMs

    private CommunityReply SendDm(CommunityRequest r, string? user, string to)
    {
        if (RequireBlindedUser(user) is { } error) return error;
        if (!BlindedId().IsMatch(to)) return CommunityReply.NotFound();
        if (!store.UserExists(to.ToLowerInvariant())) return CommunityReply.NotFound();
        if (JsonNode.Parse(r.Body) is not JsonObject body || body["message"] is not JsonValue message)
            return CommunityReply.BadRequest("Invalid request: message is required");
        byte[] bytes = Convert.FromBase64String(message.GetValue<string>());
        if (bytes.Length == 0 || bytes.Length > MaxPostBytes) return CommunityReply.BadRequest("Invalid request: bad message");
        InboxRow row = store.SendDm(user!, to.ToLowerInvariant(), bytes, Now, DmTtlSeconds);
        return CommunityReply.Json(201, new JsonObject
        {
            ["id"] = row.Id, ["posted_at"] = row.PostedAt, ["expires_at"] = row.ExpiresAt, ["sender"] = row.Sender, ["recipient"] = row.Recipient,
        });
    }

    private CommunityReply Dms(string? user, bool outbox, long after, CommunityRequest r)
    {
        if (RequireBlindedUser(user) is { } error) return error;
        IReadOnlyList<InboxRow> rows = store.Dms(user!, outbox, after, Limit(r), Now);
        if (rows.Count == 0 && after > 0) return CommunityReply.Empty(304);
        return CommunityReply.Json(200, new JsonArray([.. rows.Select(x => (JsonNode)new JsonObject
        {
            ["id"] = x.Id, ["posted_at"] = x.PostedAt, ["expires_at"] = x.ExpiresAt, ["sender"] = x.Sender, ["recipient"] = x.Recipient,
            ["message"] = Convert.ToBase64String(x.Message),
        })]));
    }

    private static CommunityReply? RequireBlindedUser(string? user) =>
        user is null ? Unauthorized()
        : !user.StartsWith("15", StringComparison.Ordinal) ? CommunityReply.Text(401, "This endpoint requires a blinded session id")
        : null;

    // ------------------------------------------------------------------ batch / sequence

    private CommunityReply Batch(CommunityRequest r, string? user, bool stopOnError)
    {
        if (JsonNode.Parse(r.Body) is not JsonArray list) return CommunityReply.BadRequest("Invalid request: expected a list");
        var results = new JsonArray();
        foreach (JsonNode? item in list)
        {
            if (item is not JsonObject sub || sub["method"] is not JsonValue method || sub["path"] is not JsonValue path
                || !path.GetValue<string>().StartsWith('/'))
                return CommunityReply.BadRequest("Invalid request: bad sub-request");
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (sub["headers"] is JsonObject h)
                foreach (var (name, value) in h) headers[name] = value?.GetValue<string>() ?? "";
            byte[] body = sub["json"] is JsonNode json ? Encoding.UTF8.GetBytes(json.ToJsonString())
                : sub["b64"] is JsonValue b64 ? Convert.FromBase64String(b64.GetValue<string>())
                : sub["bytes"] is JsonValue raw ? Encoding.UTF8.GetBytes(raw.GetValue<string>())
                : [];
            CommunityReply reply = Handle(CommunityRequest.FromEndpoint(method.GetValue<string>(), path.GetValue<string>(), headers, body), user);
            JsonNode? replyBody = reply.Body.Length == 0 ? null
                : reply.ContentType == "application/json" ? JsonNode.Parse(reply.Body)
                : Convert.ToBase64String(reply.Body);
            results.Add((JsonNode)new JsonObject
            {
                ["code"] = reply.Status,
                ["headers"] = new JsonObject { ["content-type"] = reply.ContentType },
                ["body"] = replyBody,
            });
            if (stopOnError && !reply.IsSuccess) break;
        }
        return CommunityReply.Json(200, results);
    }

    // ------------------------------------------------------------------ JSON shapes

    private JsonObject RoomJson(RoomRow room, string? user) => PermissionsJson(new JsonObject
    {
        ["token"] = room.Token,
        ["name"] = room.Name,
        ["info_updates"] = room.InfoUpdates,
        ["message_sequence"] = room.MessageSequence,
        ["created"] = room.Created,
        ["active_users"] = 0,
        ["active_users_cutoff"] = 7 * 24 * 3600,
        ["moderators"] = new JsonArray(),
        ["admins"] = new JsonArray(),
    }, room, user);

    private JsonObject PermissionsJson(JsonObject json, RoomRow room, string? user)
    {
        var (read, write, upload) = store.Permissions(room, user);
        json["read"] = read;
        json["write"] = write;
        json["upload"] = upload;
        return json;
    }

    private static CommunityReply Messages(IReadOnlyList<MessageRow> rows) =>
        CommunityReply.Json(200, new JsonArray([.. rows.Select(x => (JsonNode)MessageJson(x))]));

    private static JsonObject MessageJson(MessageRow m)
    {
        var json = new JsonObject { ["id"] = m.Id, ["session_id"] = m.SessionId, ["posted"] = m.Posted, ["seqno"] = m.Seqno };
        if (m.Edited is double edited) json["edited"] = edited;
        if (m.Data is null)
        {
            json["deleted"] = true;
            json["data"] = null;
            return json;
        }
        json["data"] = Convert.ToBase64String(m.Data);
        json["signature"] = Convert.ToBase64String(m.Signature!);
        json["whisper"] = false;
        json["whisper_mods"] = false;
        json["reactions"] = new JsonObject();
        return json;
    }

    private static CommunityReply Unauthorized() => CommunityReply.Text(401, "X-SOGS-* request authentication required");

    private static int Limit(CommunityRequest r) => Math.Clamp(r.QueryInt("limit") ?? 100, 1, 256);

    private static long ParseId(string text) =>
        long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long v) ? v
        : throw new FormatException("not an integer");

    private static string? QueryValue(string query, string name)
    {
        foreach (string part in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = part.IndexOf('=');
            if (eq > 0 && part[..eq] == name) return Uri.UnescapeDataString(part[(eq + 1)..]);
        }
        return null;
    }

    [GeneratedRegex("^15[0-9a-fA-F]{64}$")]
    private static partial Regex BlindedId();
}
