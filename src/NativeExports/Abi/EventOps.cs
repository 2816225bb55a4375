namespace SessionInterop.NativeExports.Abi;

/// <summary>Reads the caller's handler table by its struct_size (members it does not have count as NULL).</summary>
internal static unsafe class EventOps
{
    internal static SessionHandlers ReadHandlers(SessionHandlers* handlers)
    {
        if (handlers == null) throw Errors.NullPointer("handlers");
        uint size = handlers->struct_size;
        if (size < sizeof(uint)) throw Errors.InvalidArgument("dispatch.bad_struct_size", "set handlers->struct_size = sizeof(session_handlers)");
        var copy = default(SessionHandlers);
        uint own = (uint)sizeof(SessionHandlers);
        Buffer.MemoryCopy(handlers, &copy, own, Math.Min(size, own));
        // A slot counts only when it lies wholly inside struct_size: half a pointer is absent, never called.
        byte* start = (byte*)&copy;
        if (!Covers(size, (byte*)&copy.on_request_done - start)) copy.on_request_done = null;
        if (!Covers(size, (byte*)&copy.on_connection - start)) copy.on_connection = null;
        if (!Covers(size, (byte*)&copy.on_message - start)) copy.on_message = null;
        if (!Covers(size, (byte*)&copy.on_other - start)) copy.on_other = null;
        // A newer caller's extra members must be NULL: we could not honour them.
        for (uint i = own; i < size; i++)
        {
            if (((byte*)handlers)[i] != 0)
                throw Errors.Unsupported("dispatch.newer_handlers", "the handler table has members this library does not know");
        }
        copy.struct_size = own;
        return copy;
    }

    private static bool Covers(uint size, long offset) => offset + sizeof(nint) <= size;
}
