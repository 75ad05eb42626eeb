using Repl.Verify;

namespace Repl.Tests.Verify;

/// <summary>Rows hash by meaning, so the same row read through different vendors' codecs gets the same checksum.</summary>
public sealed class RowHasherTests
{
    private readonly RowHasher _hasher = new();

    [Fact]
    public void Values_that_mean_the_same_hash_the_same()
    {
        Assert.Equal(_hasher.Hash([1.5m]), _hasher.Hash([1.500m]));
        Assert.Equal(_hasher.Hash([(short)7]), _hasher.Hash([7L]));
        Assert.Equal(_hasher.Hash([0.0]), _hasher.Hash([-0.0]));
        var stamp = new DateTime(2026, 11, 29, 12, 0, 0, 123, DateTimeKind.Utc);
        Assert.Equal(_hasher.Hash([stamp]), _hasher.Hash([DateTime.SpecifyKind(stamp, DateTimeKind.Unspecified)]));
        Assert.Equal(_hasher.Hash([new byte[] { 0, 1 }]), _hasher.Hash([new byte[] { 0, 1 }]));
    }

    [Fact]
    public void Rows_that_differ_hash_differently()
    {
        Assert.NotEqual(_hasher.Hash(["ab", "c"]), _hasher.Hash(["a", "bc"]));
        Assert.NotEqual(_hasher.Hash([null]), _hasher.Hash([""]));
        Assert.NotEqual(_hasher.Hash(["1"]), _hasher.Hash([1]));
        Assert.NotEqual(_hasher.Hash([new byte[] { 0 }]), _hasher.Hash([Array.Empty<byte>()]));
        Assert.NotEqual(_hasher.Hash(["a"]), _hasher.Hash(["A"]));
        Assert.NotEqual(_hasher.Hash([1, 2]), _hasher.Hash([2, 1]));
    }

    [Fact]
    public void A_hash_is_the_same_in_every_process()
    {
        // A checksum printed today must compare with one printed by another run (or another machine) tomorrow.
        Assert.Equal(_hasher.Hash([1, "a", null]), new RowHasher().Hash([1, "a", null]));
        Assert.Equal(4494867841869520400UL, _hasher.Hash([1, "a", null]));
    }

    [Fact]
    public void Keys_encode_equal_exactly_when_their_values_mean_the_same()
    {
        Assert.Equal(_hasher.Encode(["eu", 1.50m], [0, 1]), _hasher.Encode(["eu", 1.5m], [0, 1]));
        Assert.NotEqual(_hasher.Encode(["eu", "B"], [0, 1]), _hasher.Encode(["eu", "b"], [0, 1]));
    }
}
