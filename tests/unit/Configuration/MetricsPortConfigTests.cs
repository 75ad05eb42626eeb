using Repl.Configuration;

namespace Repl.Tests.Configuration;

/// <summary><c>replay.metricsPort</c>: optional, a TCP port, settable from the environment, refused naming the key otherwise.</summary>
public sealed class MetricsPortConfigTests
{
    private static string WithReplay(string replay) => ConfigFiles.Valid.TrimEnd().TrimEnd('}') + $", \"replay\": {replay} }}";

    [Fact]
    public void Metrics_are_off_unless_a_port_is_given()
    {
        Assert.Null(ConfigLoader.Load(ConfigFiles.Write(ConfigFiles.Valid), ConfigFiles.NoEnvironment).Replay.MetricsPort);
        Assert.Equal(9464, ConfigLoader.Load(ConfigFiles.Write(WithReplay("{ \"metricsPort\": 9464 }")), ConfigFiles.NoEnvironment).Replay.MetricsPort);
    }

    [Fact]
    public void The_port_can_come_from_the_environment()
    {
        var environment = new Dictionary<string, string?> { ["REPL_replay__metricsPort"] = "9500" };

        Assert.Equal(9500, ConfigLoader.Load(ConfigFiles.Write(ConfigFiles.Valid), environment).Replay.MetricsPort);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("-1")]
    [InlineData("\"http\"")]
    public void A_value_that_is_not_a_port_is_refused_naming_the_key(string port)
    {
        var e = Assert.Throws<ConfigException>(() =>
            ConfigLoader.Load(ConfigFiles.Write(WithReplay($"{{ \"metricsPort\": {port} }}")), ConfigFiles.NoEnvironment));

        Assert.Equal([$"replay:metricsPort: \"{port.Trim('"')}\" is not a TCP port; write a whole number from 1 to 65535, e.g. 9464, or leave metricsPort out to serve no metrics"],
            e.Problems);
    }
}
