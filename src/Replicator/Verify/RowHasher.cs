using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Repl.Verify;

/// <summary>
/// Hashes canonical values (as the vendors' <see cref="Repl.Schema.IValueCodec"/>s read them) into 64 bits, the same on
/// every vendor: each value is encoded by meaning, not by how a driver happens to return it (decimals without trailing
/// zeros, timestamps by ticks whatever their Kind, integers widened to 64 bits, -0.0 as 0.0), with a type tag and
/// lengths so that no two different rows share an encoding. SHA-256 (hardware-accelerated, no extra dependency) cut to
/// 64 bits: a few hundred nanoseconds a row, far below what reading the row costs.
/// </summary>
internal sealed class RowHasher
{
    private byte[] _buffer = new byte[256];
    private int _length;

    /// <summary>The hash of the values at <paramref name="positions"/> of <paramref name="row"/>, in that order.</summary>
    public ulong Hash(object?[] row, IReadOnlyList<int> positions)
    {
        _length = 0;
        foreach (var position in positions)
            Append(row[position]);
        return Finish();
    }

    /// <summary>The hash of every value of <paramref name="row"/>, in table order.</summary>
    public ulong Hash(object?[] row)
    {
        _length = 0;
        foreach (var value in row)
            Append(value);
        return Finish();
    }

    /// <summary>The hash of one value.</summary>
    public ulong HashValue(object? value)
    {
        _length = 0;
        Append(value);
        return Finish();
    }

    /// <summary>
    /// The canonical encoding of the values at <paramref name="positions"/> as text usable as a dictionary key: equal exactly when the
    /// values mean the same.
    /// </summary>
    public string Encode(object?[] row, IReadOnlyList<int> positions)
    {
        _length = 0;
        foreach (var position in positions)
            Append(row[position]);
        return Convert.ToBase64String(_buffer, 0, _length);
    }

    private ulong Finish()
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(_buffer.AsSpan(0, _length), digest);
        return BinaryPrimitives.ReadUInt64LittleEndian(digest);
    }

    private void Append(object? value)
    {
        switch (value)
        {
            case null:
                Tag(0);
                break;
            case bool b:
                Tag(1);
                Byte(b ? (byte)1 : (byte)0);
                break;
            case short or int or long or sbyte or byte or ushort or uint:
                Tag(2);
                Int64(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong u:
                // Unsigned 64-bit values above long.MaxValue would wrap; below it they mean the same as the signed value.
                if (u <= long.MaxValue)
                {
                    Tag(2);
                    Int64((long)u);
                }
                else
                {
                    Tag(3);
                    Text(u.ToString(CultureInfo.InvariantCulture));
                }
                break;
            case decimal d:
                // 1.50 and 1.5 are the same number; vendors keep or drop the scale differently.
                Tag(3);
                Text(d.ToString("0.############################", CultureInfo.InvariantCulture));
                break;
            case double d:
                Tag(4);
                Int64(BitConverter.DoubleToInt64Bits(d == 0 ? 0d : d));
                break;
            case float f:
                Tag(5);
                Int64(BitConverter.SingleToInt32Bits(f == 0 ? 0f : f));
                break;
            case string s:
                Tag(6);
                Text(s);
                break;
            case byte[] bytes:
                Tag(7);
                Int64(bytes.Length);
                Bytes(bytes);
                break;
            case DateOnly date:
                Tag(8);
                Int64(date.DayNumber);
                break;
            case TimeOnly time:
                Tag(9);
                Int64(time.Ticks);
                break;
            case DateTime stamp:
                // The codecs return Unspecified for timestamp and Utc for timestamptz; the column's type already says which.
                Tag(10);
                Int64(stamp.Ticks);
                break;
            case DateTimeOffset stamp:
                Tag(10);
                Int64(stamp.UtcTicks);
                break;
            case Guid guid:
                Tag(11);
                Span<byte> raw = stackalloc byte[16];
                guid.TryWriteBytes(raw, bigEndian: true, out _);
                Bytes(raw);
                break;
            case IFormattable formattable:
                Tag(12);
                Text(formattable.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                Tag(12);
                Text(value.ToString() ?? "");
                break;
        }
    }

    private void Tag(byte tag) => Byte(tag);

    private void Byte(byte value)
    {
        Ensure(1);
        _buffer[_length++] = value;
    }

    private void Int64(long value)
    {
        Ensure(8);
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_length), value);
        _length += 8;
    }

    private void Text(string value)
    {
        var count = Encoding.UTF8.GetByteCount(value);
        Int64(count);
        Ensure(count);
        _length += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length));
    }

    private void Bytes(ReadOnlySpan<byte> value)
    {
        Ensure(value.Length);
        value.CopyTo(_buffer.AsSpan(_length));
        _length += value.Length;
    }

    private void Ensure(int more)
    {
        if (_length + more <= _buffer.Length)
            return;
        Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + more));
    }
}
