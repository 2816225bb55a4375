using Google.Protobuf;
using NUnit.Framework;
using SessionInterop.Crypto;
using SessionInterop.Protocol;
using SessionInterop.Protocol.Protos;

namespace SessionInterop.Tests.Protocol;

public sealed class MessageCodecTests
{
    private const string Independent = "independent.json";

    [TestCaseSource(typeof(Vectors), nameof(Vectors.Cases), new object[] { Independent, "minimal_content" })]
    public void Minimal_visible_message_serializes_to_the_documented_bytes(Case c)
    {
        Content content = Messages.Text(c.Str("body"));
        content.SigTimestamp = (ulong)c.Long("sig_timestamp");
        Assert.That(Convert.ToHexStringLower(content.ToByteArray()), Is.EqualTo(c.Str("encoded")));
    }

    [TestCaseSource(typeof(Vectors), nameof(Vectors.Cases), new object[] { Independent, "end_to_end" })]
    public void End_to_end_encoding_reproduces_the_stored_data_byte_for_byte(Case c)
    {
        using Identity sender = Identity.FromSeed(c.Bytes("sender_seed32"));
        Assert.That(sender.SessionId.ToString(), Is.EqualTo(c.Str("sender_id")));
        Content content = Content.Parser.ParseFrom(c.Bytes("content"));
        content.ClearSigTimestamp();   // the codec stamps it from the envelope timestamp
        byte[] ws = MessageCodec.EncodeForRecipientBytes(sender, SessionId.Parse(c.Str("recipient_id")), content, c.Long("timestamp"), deterministic: true);
        Assert.That(ws, Has.Length.EqualTo((int)c.Long("ws_length")));
        Assert.That(Convert.ToBase64String(ws), Is.EqualTo(c.Str("data_base64")));
    }

    [TestCaseSource(typeof(Vectors), nameof(Vectors.Cases), new object[] { Independent, "end_to_end" })]
    public void End_to_end_intermediate_values_match(Case c)
    {
        using Identity sender = Identity.FromSeed(c.Bytes("sender_seed32"));
        using Identity recipient = Identity.FromSeed(c.Bytes("recipient_seed32"));
        byte[] padded = Padding.Pad(c.Bytes("content"));
        Assert.That(padded, Has.Length.EqualTo((int)c.Long("padded_length")));
        byte[] sig = new byte[64];
        Primitives.Sign(sender.Ed25519SecretKey, [.. padded, .. sender.Ed25519PublicKey, .. recipient.X25519PublicKey], sig);
        Assert.That(Convert.ToHexStringLower(sig), Is.EqualTo(c.Str("inner_signature")));
        Assert.That(Convert.ToHexStringLower(SessionBox.SealDeterministic(sender, recipient.X25519PublicKey, padded)), Is.EqualTo(c.Str("sealed")));
    }

    [TestCaseSource(typeof(Vectors), nameof(Vectors.Cases), new object[] { Independent, "end_to_end" })]
    public void End_to_end_stored_data_decodes_to_the_content_and_sender(Case c)
    {
        using Identity recipient = Identity.FromSeed(c.Bytes("recipient_seed32"));
        DecodedMessage decoded = MessageCodec.Decode(recipient, c.Str("data_base64"));
        Assert.That(decoded.Sender.ToString(), Is.EqualTo(c.Str("sender_id")));
        Assert.That(decoded.TimestampMs, Is.EqualTo(c.Long("timestamp")));
        Assert.That(Convert.ToHexStringLower(decoded.Content.ToByteArray()), Is.EqualTo(c.Str("content")));
        Assert.That(decoded.Kind, Is.EqualTo(MessageKind.VisibleMessage));
        Assert.That(decoded.DedupKey, Is.EqualTo(new MessageDedupKey(SessionId.Parse(c.Str("sender_id")), c.Long("timestamp"))));
    }

    [TestCaseSource(typeof(Vectors), nameof(Vectors.Cases), new object[] { Independent, "end_to_end" })]
    public void Storage_server_hash_of_the_stored_data_matches(Case c)
    {
        // §6.5: base64_unpadded(H_32(0x05 ‖ pubkey32 ‖ "" ‖ data)) for namespace 0.
        SessionId recipient = SessionId.Parse(c.Str("recipient_id"));
        byte[] hash = new byte[32];
        Primitives.Blake2b(hash, default, recipient.AsSpan(), Convert.FromBase64String(c.Str("data_base64")));
        Assert.That(Convert.ToBase64String(hash).TrimEnd('='), Is.EqualTo(c.Str("swarm_hash")));
    }

    [Test]
    public void Random_round_trip_of_every_built_message_kind()
    {
        using Identity alice = TestRandom.NewIdentity();
        using Identity bob = TestRandom.NewIdentity();
        long t = 1_754_971_101_000 + TestRandom.Rng.Next(1_000_000);
        var cases = new (Content Content, MessageKind Kind)[]
        {
            (Messages.Text("hi 🎂 there", "Alice", 1_754_971_000), MessageKind.VisibleMessage),
            (Messages.ReadReceipt([t - 5, t - 4]), MessageKind.ReadReceipt),
            (Messages.Typing(true, t), MessageKind.TypingIndicator),
            (Messages.Unsend(t - 9, alice.SessionId), MessageKind.UnsendRequest),
            (Messages.MessageRequestResponse(true, "Alice"), MessageKind.MessageRequestResponse),
        };
        foreach (var (content, kind) in cases)
        {
            string data = MessageCodec.EncodeForRecipient(alice, bob.SessionId, content, t);
            DecodedMessage decoded = MessageCodec.Decode(bob, data);
            Assert.That(decoded.Kind, Is.EqualTo(kind));
            Assert.That(decoded.Sender, Is.EqualTo(alice.SessionId));
            Assert.That(decoded.TimestampMs, Is.EqualTo(t));
            Content expected = content.Clone();
            expected.SigTimestamp = (ulong)t;
            Assert.That(decoded.Content, Is.EqualTo(expected));
        }
    }

    [Test]
    public void Built_messages_carry_the_fields_receivers_read()
    {
        using Identity alice = TestRandom.NewIdentity();
        Content text = Messages.Text("hello", "Alice", 42);
        Assert.That(text.DataMessage.Body, Is.EqualTo("hello"));
        Assert.That(text.DataMessage.Profile.DisplayName, Is.EqualTo("Alice"));
        Assert.That(text.DataMessage.Profile.LastProfileUpdateSeconds, Is.EqualTo(42UL));
        Content receipt = Messages.ReadReceipt([7, 8]);
        Assert.That(receipt.ReceiptMessage.Type, Is.EqualTo(ReceiptMessage.Types.Type.Read));
        Assert.That(receipt.ReceiptMessage.Timestamp, Is.EqualTo(new ulong[] { 7, 8 }));
        Content typing = Messages.Typing(false, 9);
        Assert.That(typing.TypingMessage.Action, Is.EqualTo(TypingMessage.Types.Action.Stopped));
        Assert.That(typing.TypingMessage.Timestamp, Is.EqualTo(9UL));
        Content unsend = Messages.Unsend(10, alice.SessionId);
        Assert.That(unsend.UnsendRequest.Author, Is.EqualTo(alice.SessionId.ToString()));
        Assert.That(unsend.UnsendRequest.Timestamp, Is.EqualTo(10UL));
        Content response = Messages.MessageRequestResponse(true);
        Assert.That(response.MessageRequestResponse.IsApproved, Is.True);
        Assert.That(response.MessageRequestResponse.Profile, Is.Null);
    }

    [Test]
    public void Builders_reject_bad_input()
    {
        using Identity alice = TestRandom.NewIdentity();
        Expect.Failure(() => Messages.Text(""), "message.empty_body");
        Expect.Failure(() => Messages.Text(new string('a', Messages.MaxBodyChars + 1)), "message.too_large");
        Expect.Failure(() => Messages.ReadReceipt([]), "message.empty_receipt");
        Expect.Failure(() => Messages.Typing(true, 0), "message.bad_timestamp");
        Expect.Failure(() => Messages.Unsend(5, alice.Blinded15(new byte[32]).Id), "id.wrong_prefix");
    }

    [Test]
    public void Encoding_for_a_blinded_or_group_id_is_refused()
    {
        using Identity alice = TestRandom.NewIdentity();
        using Identity bob = TestRandom.NewIdentity();
        SessionId blinded = bob.Blinded15(new byte[32]).Id;
        Expect.Failure(() => MessageCodec.EncodeForRecipient(alice, blinded, Messages.Text("x"), 1), "id.wrong_prefix");
    }

    [Test]
    public void Oversize_content_is_rejected_before_encryption()
    {
        using Identity alice = TestRandom.NewIdentity();
        using Identity bob = TestRandom.NewIdentity();
        var content = new Content { DataMessage = new DataMessage { Body = "x", ProfileKey = ByteString.CopyFrom(new byte[MessageCodec.MaxStoredBytes]) } };
        var ex = Assert.Throws<SessionException>(() => MessageCodec.EncodeForRecipient(alice, bob.SessionId, content, 1));
        Assert.That(ex!.Status, Is.EqualTo(SessionStatus.ETooLarge));
    }

    [Test]
    public void Content_just_under_the_limit_is_accepted_but_its_envelope_overflow_is_caught()
    {
        using Identity alice = TestRandom.NewIdentity();
        using Identity bob = TestRandom.NewIdentity();
        var content = new Content { DataMessage = new DataMessage { ProfileKey = ByteString.CopyFrom(new byte[MessageCodec.MaxStoredBytes - 200]) } };
        var ex = Assert.Throws<SessionException>(() => MessageCodec.EncodeForRecipient(alice, bob.SessionId, content, 1));
        Assert.That(ex!.Code, Is.EqualTo("message.too_large"));
    }

    [Test]
    public void Oversize_or_non_base64_data_is_rejected_on_decode()
    {
        using Identity bob = TestRandom.NewIdentity();
        Expect.Failure(() => MessageCodec.Decode(bob, new string('A', MessageCodec.MaxStoredBase64Chars + 4)), "message.too_large");
        Expect.Failure(() => MessageCodec.Decode(bob, "not base64!"), "message.bad_base64");
        Expect.Failure(() => MessageCodec.Decode(bob, Convert.ToBase64String([0xff, 0xff, 0xff])), "message.malformed");
    }

    [Test]
    public void A_websocket_message_without_a_body_is_rejected()
    {
        using Identity bob = TestRandom.NewIdentity();
        var ws = new WebSocketMessage { Type = WebSocketMessage.Types.Type.Request, Request = new WebSocketRequestMessage { Verb = "PUT" } };
        Expect.Failure(() => MessageCodec.Decode(bob, ws.ToByteArray()), "message.missing_field");
        Expect.Failure(() => MessageCodec.Decode(bob, new WebSocketMessage { Type = WebSocketMessage.Types.Type.Request }.ToByteArray()), "message.missing_field");
    }

    [TestCase(1)]
    [TestCase(5)]
    public void An_envelope_missing_a_required_field_is_rejected(int missingField)
    {
        var envelope = new Envelope { Type = Envelope.Types.Type.SessionMessage, Timestamp = 5, Content = ByteString.CopyFrom(new byte[200]) };
        if (missingField == 1) envelope.ClearType(); else envelope.ClearTimestamp();
        Expect.Failure(() => MessageCodec.ParseEnvelope(envelope.ToByteArray()), "message.missing_field");
    }

    [Test]
    public void A_sent_envelope_carries_a_decoy_pro_signature_shaped_like_a_real_one()
    {
        using Identity alice = TestRandom.NewIdentity();
        using Identity bob = TestRandom.NewIdentity();
        byte[] ws = MessageCodec.EncodeForRecipientBytes(alice, bob.SessionId, Messages.Text("hi"), 1000, deterministic: false);
        Envelope envelope = MessageCodec.ParseEnvelope(WebSocketMessage.Parser.ParseFrom(ws).Request.Body.Span);
        byte[] first = envelope.ProSig.ToByteArray();
        byte[] second = MessageCodec.DecoyProSig();
        foreach (byte[] sig in new[] { first, second })
        {
            // As libsession's decoy (and a real signature): R a point of the prime-order subgroup, S a
            // canonical non-zero scalar (below ℓ); and it verifies against no key we know.
            Assert.That(sig, Has.Length.EqualTo(64));
            Assert.That(IsValidPoint(sig.AsSpan(0, 32)), Is.True, "R = r·B");
            Assert.That(IsCanonicalNonZeroScalar(sig.AsSpan(32)), Is.True, "S < ℓ");
            Assert.That(Primitives.Verify(sig, envelope.Content.Span, alice.Ed25519PublicKey), Is.False);
        }
        Assert.That(first, Is.Not.EqualTo(second), "a fresh decoy per message");
        Assert.That(MessageCodec.Decode(bob, ws).Content.DataMessage.Body, Is.EqualTo("hi"), "receivers take it as any proSig");
    }

    private static unsafe bool IsValidPoint(ReadOnlySpan<byte> point)
    {
        fixed (byte* p = point) return SessionInterop.Interop.LibSodium.crypto_core_ed25519_is_valid_point(p) == 1;
    }

    /// <summary>0 &lt; s &lt; ℓ = 2^252 + 27742317777372353535851937790883648493 (little-endian compare).</summary>
    private static bool IsCanonicalNonZeroScalar(ReadOnlySpan<byte> s)
    {
        byte[] order = Convert.FromHexString("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
        for (int i = 31; i >= 0; i--)
            if (s[i] != order[i]) return s[i] < order[i] && s.IndexOfAnyExcept((byte)0) >= 0;
        return false;
    }

    [Test]
    public void Envelope_source_and_pro_signature_are_validated()
    {
        var envelope = new Envelope { Type = Envelope.Types.Type.SessionMessage, Timestamp = 5, Content = ByteString.CopyFrom(new byte[200]) };
        Assert.That(MessageCodec.ParseEnvelope(envelope.ToByteArray()).Timestamp, Is.EqualTo(5UL));
        envelope.Source = "";
        Assert.That(MessageCodec.ParseEnvelope(envelope.ToByteArray()).Source, Is.Empty);
        envelope.Source = "05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72";
        Assert.That(MessageCodec.ParseEnvelope(envelope.ToByteArray()).Source, Has.Length.EqualTo(66));
        envelope.Source = "05" + new string('z', 64);
        Expect.Failure(() => MessageCodec.ParseEnvelope(envelope.ToByteArray()), "message.malformed");
        envelope.Source = "05abc";
        Expect.Failure(() => MessageCodec.ParseEnvelope(envelope.ToByteArray()), "message.malformed");
        envelope.ClearSource();
        envelope.ProSig = ByteString.CopyFrom(new byte[63]);
        Expect.Failure(() => MessageCodec.ParseEnvelope(envelope.ToByteArray()), "message.malformed");
        envelope.ProSig = ByteString.CopyFrom(new byte[64]);
        Assert.That(MessageCodec.ParseEnvelope(envelope.ToByteArray()).ProSig.Length, Is.EqualTo(64));
        envelope.ClearContent();
        Expect.Failure(() => MessageCodec.ParseEnvelope(envelope.ToByteArray()), "message.missing_field");
    }

    [Test]
    public void A_signed_timestamp_different_from_the_envelope_is_rejected()
    {
        using Identity alice = TestRandom.NewIdentity();
        using Identity bob = TestRandom.NewIdentity();
        var content = Messages.Text("hi");
        content.SigTimestamp = 999;
        byte[] sealedBox = SessionBox.Seal(alice, bob.X25519PublicKey, Padding.Pad(content.ToByteArray()));
        byte[] ws = Wrap(new Envelope { Type = Envelope.Types.Type.SessionMessage, Timestamp = 1000, Content = ByteString.CopyFrom(sealedBox) });
        Expect.Failure(() => MessageCodec.Decode(bob, ws), "message.timestamp_mismatch");
    }

    [Test]
    public void A_content_without_signed_timestamp_is_accepted_as_a_legacy_client()
    {
        using Identity alice = TestRandom.NewIdentity();
        using Identity bob = TestRandom.NewIdentity();
        byte[] sealedBox = SessionBox.Seal(alice, bob.X25519PublicKey, Padding.PadLegacy(Messages.Text("hi").ToByteArray()));
        byte[] ws = Wrap(new Envelope { Type = Envelope.Types.Type.SessionMessage, Timestamp = 1000, Content = ByteString.CopyFrom(sealedBox) });
        DecodedMessage decoded = MessageCodec.Decode(bob, ws);
        Assert.That(decoded.Content.DataMessage.Body, Is.EqualTo("hi"));
        Assert.That(decoded.TimestampMs, Is.EqualTo(1000));
    }

    [Test]
    public void Decrypted_content_missing_a_nested_required_field_is_rejected()
    {
        using Identity alice = TestRandom.NewIdentity();
        using Identity bob = TestRandom.NewIdentity();
        var content = new Content { TypingMessage = new TypingMessage { Timestamp = 5 } };   // action missing
        byte[] sealedBox = SessionBox.Seal(alice, bob.X25519PublicKey, Padding.Pad(content.ToByteArray()));
        byte[] ws = Wrap(new Envelope { Type = Envelope.Types.Type.SessionMessage, Timestamp = 5, Content = ByteString.CopyFrom(sealedBox) });
        Expect.Failure(() => MessageCodec.Decode(bob, ws), "message.missing_field");
    }

    [Test]
    public void A_message_for_someone_else_fails_with_a_crypto_error()
    {
        using Identity alice = TestRandom.NewIdentity();
        using Identity bob = TestRandom.NewIdentity();
        using Identity carol = TestRandom.NewIdentity();
        string data = MessageCodec.EncodeForRecipient(alice, bob.SessionId, Messages.Text("hi"), 1000);
        var ex = Assert.Throws<SessionException>(() => MessageCodec.Decode(carol, data));
        Assert.That(ex!.Code, Is.EqualTo("crypto.decrypt_failed"));
    }

    [Test]
    public void Unknown_flags_are_classified_as_unknown_and_timer_updates_separately()
    {
        Assert.That(ContentKinds.Classify(new Content { DataMessage = new DataMessage { Body = "x", Flags = 1 } }), Is.EqualTo(MessageKind.Unknown));
        Assert.That(ContentKinds.Classify(new Content { DataMessage = new DataMessage { Flags = 2 } }), Is.EqualTo(MessageKind.ExpirationTimerUpdate));
        Assert.That(ContentKinds.Classify(new Content { DataMessage = new DataMessage() }), Is.EqualTo(MessageKind.Unknown));
        Assert.That(ContentKinds.Classify(new Content()), Is.EqualTo(MessageKind.Unknown));
    }

    [Test]
    public void A_sync_copy_decodes_for_ourselves_with_its_conversation()
    {
        using Identity me = TestRandom.NewIdentity();
        using Identity bob = TestRandom.NewIdentity();
        string data = MessageCodec.EncodeSyncCopy(me, bob.SessionId, Messages.Text("sent from my phone"), 4242);
        DecodedMessage decoded = MessageCodec.Decode(me, data);
        Assert.That(decoded.Sender, Is.EqualTo(me.SessionId));
        Assert.That(decoded.SyncTarget, Is.EqualTo(bob.SessionId));
        Assert.That(decoded.Content.DataMessage.Body, Is.EqualTo("sent from my phone"));
        Assert.That(MessageCodec.Decode(bob, MessageCodec.EncodeForRecipient(me, bob.SessionId, Messages.Text("x"), 1)).SyncTarget, Is.Null);
    }

    [Test]
    public void A_sync_message_from_someone_else_is_rejected()
    {
        using Identity mallory = TestRandom.NewIdentity();
        using Identity me = TestRandom.NewIdentity();
        using Identity bob = TestRandom.NewIdentity();
        Content content = Messages.Text("fake");
        content.DataMessage.SyncTarget = bob.SessionId.ToString();
        string data = MessageCodec.EncodeForRecipient(mallory, me.SessionId, content, 7);
        Expect.Failure(() => MessageCodec.Decode(me, data), "message.foreign_sync");
    }

    [Test]
    public void Only_data_messages_have_sync_copies()
    {
        using Identity me = TestRandom.NewIdentity();
        using Identity bob = TestRandom.NewIdentity();
        Expect.Failure(() => MessageCodec.EncodeSyncCopy(me, bob.SessionId, Messages.Typing(true, 5), 5), "message.not_syncable");
    }

    private static byte[] Wrap(Envelope envelope) => new WebSocketMessage
    {
        Type = WebSocketMessage.Types.Type.Request,
        Request = new WebSocketRequestMessage { Body = envelope.ToByteString() },
    }.ToByteArray();

}
