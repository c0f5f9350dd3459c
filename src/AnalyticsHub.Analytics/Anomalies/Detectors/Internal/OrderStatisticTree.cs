namespace AnalyticsHub.Analytics.Anomalies.Detectors.Internal;

/// <summary>
/// A treap over (value, sequence) keys in preallocated arrays, with subtree sizes so the k-th smallest key is found in
/// O(log n) expected time. The sequence number makes equal values distinct, so the exact element leaving a sliding
/// window can be removed. No allocation after construction.
/// </summary>
internal sealed class OrderStatisticTree
{
    private const int Nil = -1;

    private readonly double[] _value;
    private readonly long[] _sequence;
    private readonly uint[] _priority;
    private readonly int[] _left;
    private readonly int[] _right;
    private readonly int[] _size;
    private readonly int[] _freeSlots;
    private int _freeCount;
    private int _root = Nil;
    private uint _random;

    public OrderStatisticTree(int capacity, uint seed = 0x9E3779B9u)
    {
        _value = new double[capacity];
        _sequence = new long[capacity];
        _priority = new uint[capacity];
        _left = new int[capacity];
        _right = new int[capacity];
        _size = new int[capacity];
        _freeSlots = new int[capacity];
        for (int i = 0; i < capacity; i++)
        {
            _freeSlots[i] = capacity - 1 - i;
        }

        _freeCount = capacity;
        _random = seed == 0 ? 1u : seed;
    }

    /// <summary>Empties the tree (O(capacity)).</summary>
    public void Clear()
    {
        int capacity = _freeSlots.Length;
        for (int i = 0; i < capacity; i++)
        {
            _freeSlots[i] = capacity - 1 - i;
        }

        _freeCount = capacity;
        _root = Nil;
    }

    public int Count => _root == Nil ? 0 : _size[_root];

    public void Insert(double value, long sequence)
    {
        int node = _freeSlots[--_freeCount];
        _value[node] = value;
        _sequence[node] = sequence;
        _priority[node] = NextPriority();
        _left[node] = Nil;
        _right[node] = Nil;
        _size[node] = 1;
        Split(_root, value, sequence, out int less, out int rest);
        _root = Merge(Merge(less, node), rest);
    }

    public void Remove(double value, long sequence)
    {
        Split(_root, value, sequence, out int less, out int rest);
        // rest starts with the removed key: its leftmost node. Split it off by the next sequence number.
        Split(rest, value, sequence + 1, out int match, out int greater);
        if (match != Nil)
        {
            _freeSlots[_freeCount++] = match;
        }

        _root = Merge(less, greater);
    }

    /// <summary>The k-th smallest value, k in [0, Count).</summary>
    public double Select(int k)
    {
        int node = _root;
        while (true)
        {
            int leftSize = _left[node] == Nil ? 0 : _size[_left[node]];
            if (k < leftSize)
            {
                node = _left[node];
            }
            else if (k == leftSize)
            {
                return _value[node];
            }
            else
            {
                k -= leftSize + 1;
                node = _right[node];
            }
        }
    }

    /// <summary>Splits into keys strictly below (value, sequence) and the rest.</summary>
    private void Split(int node, double value, long sequence, out int less, out int rest)
    {
        if (node == Nil)
        {
            less = Nil;
            rest = Nil;
            return;
        }

        if (_value[node] < value || (_value[node] == value && _sequence[node] < sequence))
        {
            Split(_right[node], value, sequence, out int l, out rest);
            _right[node] = l;
            less = node;
        }
        else
        {
            Split(_left[node], value, sequence, out less, out int r);
            _left[node] = r;
            rest = node;
        }

        Resize(node);
    }

    private int Merge(int a, int b)
    {
        if (a == Nil)
        {
            return b;
        }

        if (b == Nil)
        {
            return a;
        }

        if (_priority[a] > _priority[b])
        {
            _right[a] = Merge(_right[a], b);
            Resize(a);
            return a;
        }

        _left[b] = Merge(a, _left[b]);
        Resize(b);
        return b;
    }

    private void Resize(int node) =>
        _size[node] = 1 + (_left[node] == Nil ? 0 : _size[_left[node]]) + (_right[node] == Nil ? 0 : _size[_right[node]]);

    private uint NextPriority()
    {
        // xorshift32: deterministic, so scores are reproducible run to run.
        uint x = _random;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        _random = x;
        return x;
    }
}
