namespace SessionInterop.NativeExports.Abi;

/// <summary>
/// Generation-checked handles: the value given to C packs a type tag, a slot index and a
/// generation, so a freed, stale, forged or wrong-type handle is detected and reported, never
/// dereferenced. (Raw GCHandle addresses would turn a stale pointer into undefined behaviour.)
/// Lookups take no lock — every export starts with one, and a game polls every frame: slots hold
/// immutable entries that writers replace under a lock.
/// </summary>
internal sealed class HandleTable<T> where T : class
{
    private sealed record Entry(T? Item, uint Generation);

    private readonly object _gate = new();
    private readonly Stack<int> _free = new();
    private readonly uint _tag;
    private readonly string _what;
    private Entry?[] _slots = new Entry?[16];
    private int _used;

    /// <param name="tag">A per-type tag (1..255) so a handle of one kind is rejected as another.</param>
    /// <param name="what">The C type name used in error messages.</param>
    internal HandleTable(byte tag, string what)
    {
        _tag = tag;
        _what = what;
    }

    internal nint Add(T item)
    {
        lock (_gate)
        {
            int index;
            uint generation = 1;
            if (_free.Count > 0)
            {
                index = _free.Pop();
                generation = (_slots[index]!.Generation + 1) & 0xFFFFFF;
                if (generation == 0) generation = 1;
            }
            else
            {
                if (_used == _slots.Length) Array.Resize(ref _slots, _slots.Length * 2); // readers keep the old array: still valid
                index = _used++;
            }
            Volatile.Write(ref _slots[index], new Entry(item, generation));
            return Pack(index, generation);
        }
    }

    internal T Get(nint handle) =>
        Find(handle, out _) is { Item: { } item } ? item : throw Errors.InvalidHandle(_what);

    /// <summary>Removes and returns the item; a second remove of the same handle fails.</summary>
    internal T Remove(nint handle)
    {
        lock (_gate)
        {
            Entry? entry = Find(handle, out int index);
            if (entry?.Item is not { } item) throw Errors.InvalidHandle(_what);
            Volatile.Write(ref _slots[index], new Entry(null, entry.Generation));
            _free.Push(index);
            return item;
        }
    }

    private Entry? Find(nint handle, out int index)
    {
        // Layout (64-bit): tag in bits 56..63, generation in 32..55, index+1 in 0..31.
        ulong raw = (ulong)handle;
        index = (int)(raw & 0xFFFFFFFF) - 1;
        uint generation = (uint)((raw >> 32) & 0xFFFFFF);
        Entry?[] slots = Volatile.Read(ref _slots);
        if ((uint)(raw >> 56) != _tag || index < 0 || index >= slots.Length) return null;
        Entry? entry = Volatile.Read(ref slots[index]);
        return entry is not null && entry.Generation == generation ? entry : null;
    }

    private nint Pack(int index, uint generation) =>
        (nint)(((ulong)_tag << 56) | ((ulong)generation << 32) | (uint)(index + 1));
}
