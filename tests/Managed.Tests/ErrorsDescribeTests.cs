using System.Net.Sockets;
using NUnit.Framework;

namespace SessionInterop.Tests;

// libsession.so is built with UseSystemResourceKeys (framework messages become resource keys), so the
// texts we hand out for framework failures lean on their error codes, which survive it.
public sealed class ErrorsDescribeTests
{
    [Test]
    public void A_refused_connection_is_described_by_its_error_codes()
    {
        var inner = new SocketException((int)SocketError.ConnectionRefused);
        var e = new HttpRequestException(HttpRequestError.ConnectionError, "framework text", inner);
        Assert.That(Errors.Describe(e), Does.StartWith("HttpRequestException: ConnectionError, SocketException: ConnectionRefused"));
    }

    [Test]
    public void A_broken_stream_names_the_socket_error()
    {
        var e = new IOException("framework text", new SocketException((int)SocketError.ConnectionReset));
        Assert.That(Errors.Describe(e), Does.StartWith("IOException: ConnectionReset"));
    }

    [Test]
    public void Other_exceptions_give_type_and_message_but_never_a_stack_trace()
    {
        Exception thrown;
        try { throw new InvalidOperationException("our text"); }
        catch (InvalidOperationException e) { thrown = e; }
        Assert.That(thrown.StackTrace, Is.Not.Null);
        Assert.That(Errors.Describe(thrown), Is.EqualTo("InvalidOperationException: our text"));
    }
}
