namespace SessionInterop.NativeExports.Abi;

/// <summary>
/// Generation-checked handles: the value given to C packs a slot index and a generation, so a
/// freed, stale, forged or wrong-type handle is detected and reported, never dereferenced.
/// (Raw GCHandle addresses would turn a stale pointer into undefined behaviour.)
/// </summary>
internal sealed class HandleTable<T> where T : class
{
    private readonly object _gate = new();
    private readonly List<(T? Item, uint Generation)> _slots = [];
    private readonly Stack<int> _free = new();
    private readonly uint _tag;
    private readonly string _what;

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
            uint generation;
            if (_free.Count > 0)
            {
                index = _free.Pop();
                generation = (_slots[index].Generation + 1) & 0xFFFFFF;
                if (generation == 0) generation = 1;
                _slots[index] = (item, generation);
            }
            else
            {
                index = _slots.Count;
                generation = 1;
                _slots.Add((item, generation));
            }
            return Pack(index, generation);
        }
    }

    internal T Get(nint handle)
    {
        lock (_gate)
        {
            return TryFind(handle, out int index) ? _slots[index].Item! : throw Errors.InvalidHandle(_what);
        }
    }

    /// <summary>Removes and returns the item; a second remove of the same handle fails.</summary>
    internal T Remove(nint handle)
    {
        lock (_gate)
        {
            if (!TryFind(handle, out int index)) throw Errors.InvalidHandle(_what);
            T item = _slots[index].Item!;
            _slots[index] = (null, _slots[index].Generation);
            _free.Push(index);
            return item;
        }
    }

    private bool TryFind(nint handle, out int index)
    {
        // Layout (64-bit): tag in bits 56..63, generation in 32..55, index+1 in 0..31.
        ulong raw = (ulong)handle;
        index = (int)(raw & 0xFFFFFFFF) - 1;
        uint generation = (uint)((raw >> 32) & 0xFFFFFF);
        uint tag = (uint)(raw >> 56);
        return tag == _tag && index >= 0 && index < _slots.Count
            && _slots[index].Item is not null && _slots[index].Generation == generation;
    }

    private nint Pack(int index, uint generation) =>
        (nint)(((ulong)_tag << 56) | ((ulong)generation << 32) | (uint)(index + 1));
}
