using System.Collections;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using NUnit.Framework;
using SessionInterop.Protocol;
using SessionInterop.Protocol.Protos;

namespace SessionInterop.Tests.Protocol;

/// <summary>
/// Cross-checks the hand-written required-field checks against Google.Protobuf's reflective
/// IsInitialized(): a Content with every sub-message populated, then the same with each required
/// field in the tree left unset in turn.
/// </summary>
public sealed class RequiredFieldsTests
{
    [Test]
    public void A_fully_populated_content_passes_both_checks()
    {
        int counter = 0;
        var content = (Content)Populate(Content.Descriptor, skip: -1, ref counter);
        Assert.That(counter, Is.GreaterThan(30), "the schema has dozens of required fields");
        Assert.That(content.IsInitialized(), Is.True);
        Assert.That(RequiredFields.Check(content), Is.True);
    }

    [Test]
    public void Leaving_out_any_single_required_field_fails_both_checks()
    {
        int total = 0;
        Populate(Content.Descriptor, skip: -1, ref total);
        for (int skip = 0; skip < total; skip++)
        {
            int counter = 0;
            var content = (Content)Populate(Content.Descriptor, skip, ref counter);
            Assert.That(content.IsInitialized(), Is.False, $"required field #{skip}");
            Assert.That(RequiredFields.Check(content), Is.False, $"required field #{skip}");
        }
    }

    [Test]
    public void Envelope_required_fields_are_checked()
    {
        var e = new Envelope { Type = Envelope.Types.Type.SessionMessage, Timestamp = 1 };
        Assert.That(RequiredFields.Check(e), Is.EqualTo(e.IsInitialized()).And.True);
        e.ClearTimestamp();
        Assert.That(RequiredFields.Check(e), Is.EqualTo(e.IsInitialized()).And.False);
    }

    /// <summary>Builds a message with every message field populated; the required scalar numbered <paramref name="skip"/> is left unset.</summary>
    private static IMessage Populate(MessageDescriptor descriptor, int skip, ref int counter)
    {
        IMessage message = descriptor.Parser.ParseFrom(ByteString.Empty);
        foreach (FieldDescriptor field in descriptor.Fields.InDeclarationOrder())
        {
            if (field.FieldType == FieldType.Message)
            {
                IMessage child = Populate(field.MessageType, skip, ref counter);
                if (field.IsRepeated) ((IList)field.Accessor.GetValue(message)).Add(child);
                else field.Accessor.SetValue(message, child);
            }
            else if (field.IsRequired && counter++ != skip)
            {
                field.Accessor.SetValue(message, SampleValue(field));
            }
        }
        return message;
    }

    private static object SampleValue(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.String => "x",
        FieldType.Bytes => ByteString.CopyFromUtf8("x"),
        FieldType.Bool => true,
        FieldType.Enum => field.EnumType.Values[0].Number,
        FieldType.UInt64 or FieldType.Fixed64 => 1UL,
        FieldType.Int64 => 1L,
        FieldType.UInt32 => 1U,
        _ => throw new NotSupportedException(field.FieldType.ToString()),
    };
}
