namespace SessionInterop.NativeExports.Abi;

/// <summary>
/// A C callback with its user pointer and optional free_user, shared by an options object and every
/// client created from it. free_user(user) runs exactly once, when the last holder lets go.
/// </summary>
internal sealed unsafe class UserCallback
{
    private readonly delegate* unmanaged[Cdecl]<void*, void> _freeUser;
    private int _holders = 1;

    internal UserCallback(void* function, void* user, delegate* unmanaged[Cdecl]<void*, void> freeUser)
    {
        Function = function;
        User = user;
        _freeUser = freeUser;
    }

    internal void* Function { get; }
    internal void* User { get; }

    internal UserCallback Hold()
    {
        Interlocked.Increment(ref _holders);
        return this;
    }

    internal void Release()
    {
        if (Interlocked.Decrement(ref _holders) == 0 && _freeUser != null) _freeUser(User);
    }
}
