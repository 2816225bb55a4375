using Google.Protobuf;
using NUnit.Framework;
using SessionInterop.Crypto;
using SessionInterop.Protocol;
using SessionInterop.Protocol.Protos;

namespace SessionInterop.Tests.Protocol;

/// <summary>
/// Random and mutated inputs must make every decoder fail with a SessionException — never another
/// exception type, never a result.
/// </summary>
public sealed class DecoderFuzzTests
{
    private static readonly Identity s_bob = Identity.Generate();
    private static readonly Identity s_alice = Identity.Generate();

    [Test, Repeat(300)]
    public void Random_bytes_never_escape_the_swarm_decoder_as_anything_but_a_session_exception()
    {
        byte[] junk = RandomBytes(TestRandom.Rng.Next(0, 400));
        Assert.Throws<SessionException>(() => MessageCodec.Decode(s_bob, junk));
        Assert.Throws<SessionException>(() => MessageCodec.Decode(s_bob, Convert.ToBase64String(junk)));
    }

    [Test, Repeat(300)]
    public void Random_plaintext_in_a_valid_box_is_rejected_as_malformed_or_incomplete()
    {
        byte[] junk = RandomBytes(TestRandom.Rng.Next(0, 300));
        byte[] box = SessionBox.Seal(s_alice, s_bob.X25519PublicKey, junk);
        byte[] ws = new WebSocketMessage
        {
            Request = new WebSocketRequestMessage
            {
                Body = new Envelope { Type = Envelope.Types.Type.SessionMessage, Timestamp = 7, Content = ByteString.CopyFrom(box) }.ToByteString(),
            },
        }.ToByteArray();
        try
        {
            DecodedMessage decoded = MessageCodec.Decode(s_bob, ws);
            // Some junk is a valid (mostly empty) Content; it must then be classified, not crash.
            Assert.That(decoded.Sender, Is.EqualTo(s_alice.SessionId));
            _ = decoded.Kind;
        }
        catch (SessionException ex)
        {
            Assert.That(ex.Code, Is.AnyOf("message.malformed", "message.missing_field", "message.timestamp_mismatch"));
        }
    }

    [Test, Repeat(300)]
    public void Random_bytes_never_escape_the_group_decoder_or_bencode_parser_as_anything_else()
    {
        byte[] junk = RandomBytes(TestRandom.Rng.Next(0, 600));
        SessionId group = SessionId.FromKey(SessionIdPrefix.Group, s_alice.Ed25519PublicKey);
        Assert.Throws<SessionException>(() => GroupMessages.Decrypt([RandomBytes(32)], group, junk));
        byte[] dict = [(byte)'d', .. RandomBytes(TestRandom.Rng.Next(0, 60)), (byte)'e'];
        try { Bencode.ParseDict(dict); }
        catch (SessionException ex) { Assert.That(ex.Code, Is.EqualTo("message.malformed")); }
    }

    [Test, Repeat(200)]
    public void Random_bytes_never_escape_the_community_decoders_as_anything_else()
    {
        byte[] server = RandomBytes(32);
        SessionId b15 = s_bob.Blinded15(server).Id, a15 = s_alice.Blinded15(server).Id;
        string junk = Convert.ToBase64String(RandomBytes(TestRandom.Rng.Next(0, 300)));
        Assert.Throws<SessionException>(() => CommunityMessages.DecodePost(junk, Convert.ToBase64String(RandomBytes(64)), a15));
        Assert.Throws<SessionException>(() => CommunityMessages.DecodeInbox(s_bob, server, junk, a15, b15));
    }

    [OneTimeTearDown]
    public void DisposeIdentities()
    {
        s_bob.Dispose();
        s_alice.Dispose();
    }

    private static byte[] RandomBytes(int n)
    {
        byte[] b = new byte[n];
        TestRandom.Rng.NextBytes(b);
        return b;
    }
}
