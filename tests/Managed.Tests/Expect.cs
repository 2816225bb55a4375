using NUnit.Framework;

namespace SessionInterop.Tests;

/// <summary>Asserts that an action fails with a given SessionException code (and status, when given).</summary>
internal static class Expect
{
    public static SessionException Failure(TestDelegate action, string code, SessionStatus? status = null)
    {
        var ex = Assert.Throws<SessionException>(action);
        Assert.That(ex!.Code, Is.EqualTo(code));
        if (status is { } s) Assert.That(ex.Status, Is.EqualTo(s));
        return ex;
    }
}
