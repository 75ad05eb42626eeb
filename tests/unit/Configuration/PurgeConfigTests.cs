using Repl.Configuration;

namespace Repl.Tests.Configuration;

public sealed class PurgeConfigTests
{
    private static string WithPurge(string purge) => ConfigFiles.Valid.TrimEnd().TrimEnd('}') + $", \"purge\": {purge} }}";

    private static ReplConfig Load(string json, [System.Runtime.CompilerServices.CallerMemberName] string test = "") =>
        ConfigLoader.Load(ConfigFiles.Write(json, test), ConfigFiles.NoEnvironment);

    private static IReadOnlyList<string> Problems(string json, [System.Runtime.CompilerServices.CallerMemberName] string test = "") =>
        Assert.Throws<ConfigException>(() => ConfigLoader.Load(ConfigFiles.Write(json, test), ConfigFiles.NoEnvironment)).Problems;

    [Fact]
    public void Without_a_purge_section_replay_services_purge_every_ten_minutes_in_batches_of_5000()
    {
        var config = Load(ConfigFiles.Valid);

        Assert.Equal(TimeSpan.FromMinutes(10), config.Purge.Interval);
        Assert.Equal(5000, config.Purge.BatchSize);
    }

    [Fact]
    public void Interval_and_batch_size_are_read()
    {
        var config = Load(WithPurge("{ \"interval\": \"01:00:00\", \"batchSize\": 250 }"));

        Assert.Equal(TimeSpan.FromHours(1), config.Purge.Interval);
        Assert.Equal(250, config.Purge.BatchSize);
    }

    [Fact]
    public void Interval_off_turns_scheduled_purging_off()
    {
        Assert.Null(Load(WithPurge("{ \"interval\": \"off\" }")).Purge.Interval);
    }

    [Theory]
    [InlineData("10")]
    [InlineData("sometimes")]
    public void Interval_that_is_not_a_time_span_or_off_names_the_key(string interval)
    {
        Assert.Equal([$"purge:interval: \"{interval}\" is not a time span; write hh:mm:ss, e.g. \"00:10:00\", or \"off\" to purge only with repl purge"],
            Problems(WithPurge($"{{ \"interval\": \"{interval}\" }}")));
    }

    [Fact]
    public void Interval_of_zero_names_the_key()
    {
        Assert.Equal(["purge:interval: \"00:00:00\" must be greater than zero, e.g. \"00:10:00\", or \"off\" to purge only with repl purge"],
            Problems(WithPurge("{ \"interval\": \"00:00:00\" }")));
    }

    [Fact]
    public void Batch_size_that_is_not_positive_and_unknown_keys_name_their_keys()
    {
        Assert.Equal(
            ["purge:batch: unknown key; known keys at purge: interval, batchSize", "purge:batchSize: \"0\" is not a positive whole number, e.g. 5000"],
            Problems(WithPurge("{ \"batch\": 10, \"batchSize\": 0 }")));
    }
}
