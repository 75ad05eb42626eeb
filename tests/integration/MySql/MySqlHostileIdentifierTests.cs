using MySqlConnector;
using Repl.Schema;

namespace Repl.IntegrationTests.MySql;

public sealed class MySqlHostileIdentifierTests
{
    private static readonly string Name64 = "n" + new string('x', 62) + "N";
    private static readonly string Long80First = new string('L', 74) + "_first";
    private static readonly string Long80Second = new string('L', 73) + "_second";

    [Fact]
    public async Task Hostile_identifiers_survive_catalog_ddl_create_and_catalog_again()
    {
        await using var db = await MariaDb.OpenAsync();
        var q = MariaDb.Rules;
        var derivedFirst = q.Derive(Long80First);
        var derivedSecond = q.Derive(Long80Second);
        var source = "Hostile `T` 'q' \"dq\" select";
        await MariaDb.ExecuteAsync(db, $"""
            CREATE TABLE {q.Quote(source)} (
              {q.Quote("with space")} int NOT NULL,
              {q.Quote("it's")} varchar(20) NOT NULL,
              {q.Quote("say \"hi\"")} text NULL,
              {q.Quote("back`tick")} decimal(10,2),
              {q.Quote("select")} datetime(6),
              {q.Quote("order")} tinyint(1),
              {q.Quote("group")} json,
              {q.Quote("MixedCase")} uuid,
              {q.Quote("Ünïcödé 表 ß")} varbinary(10),
              {q.Quote(" leading")} time(3),
              {q.Quote(Name64)} date NOT NULL,
              {q.Quote(derivedFirst)} bigint,
              {q.Quote(derivedSecond)} bigint,
              PRIMARY KEY ({q.Quote("it's")}, {q.Quote("with space")}),
              UNIQUE KEY {q.Quote("uq `x` 'y'")} ({q.Quote("select")}, {q.Quote("order")}),
              UNIQUE KEY {q.Quote("uq long")} ({q.Quote(Name64)}, {q.Quote(derivedFirst)}),
              KEY {q.Quote("ix \"z\"")} ({q.Quote("MixedCase")}, {q.Quote("back`tick")}),
              KEY {q.Quote("ix long")} ({q.Quote(derivedSecond)}, {q.Quote(Name64)}, {q.Quote("Ünïcödé 表 ß")})
            )
            """);

        var master = await MariaDb.ReadAsync(db, source);
        var target = new DbObjectName(null, q.Derive(source, "copy 表"));
        await MariaDb.CreateAsync(db, master, target);
        var copy = await MariaDb.ReadAsync(db, target.Name);

        Assert.NotEqual(derivedFirst, derivedSecond);
        Assert.Equal(64, derivedFirst.Length);
        Assert.Equal(13, master.Columns.Count);
        Assert.Equal(Columns(master), Columns(copy));
        Assert.Equal(["it's", "with space"], copy.Key.Columns);
        Assert.Equal(master.KeySource, copy.KeySource);
        Assert.Equal(Keys(master.UniqueConstraints), Keys(copy.UniqueConstraints));
        Assert.Equal(Keys(master.Indexes.Select(i => new KeyDefinition(i.Name, i.Columns))), Keys(copy.Indexes.Select(i => new KeyDefinition(i.Name, i.Columns))));
        Assert.Equal(2, copy.UniqueConstraints.Count);
        Assert.Equal(2, copy.Indexes.Count);
    }

    [Theory]
    [InlineData("smile🙂", "outside the Basic Multilingual Plane")]
    [InlineData("trailing ", "ends with white space")]
    public async Task Names_the_server_rejects_are_refused_by_Quote_before_the_server_sees_them(string name, string reason)
    {
        await using var db = await MariaDb.OpenAsync(name.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var e = Assert.Throws<SchemaException>(() => MariaDb.Rules.Quote(name));
        // The same name, quoted by hand, proves the server would have refused it anyway.
        await Assert.ThrowsAsync<MySqlException>(() => MariaDb.ExecuteAsync(db, $"CREATE TABLE `{name}` (id int NOT NULL PRIMARY KEY)"));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.Contains(name, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_table_name_that_is_too_long_as_a_file_is_shortened_until_the_server_creates_it()
    {
        await using var db = await MariaDb.OpenAsync();
        var name = new string('"', 60);
        await Assert.ThrowsAsync<MySqlException>(() => MariaDb.ExecuteAsync(db, $"CREATE TABLE {MariaDb.Rules.Quote(name)} (id int NOT NULL PRIMARY KEY)"));

        var shortened = MariaDb.Rules.Shorten(name);
        await MariaDb.ExecuteAsync(db, $"CREATE TABLE {MariaDb.Rules.Quote(shortened)} (id int NOT NULL PRIMARY KEY)");

        Assert.Equal(shortened, (await MariaDb.ReadAsync(db, shortened)).Name.Name);
    }

    private static List<(string, CanonicalType, bool)> Columns(TableDefinition table) =>
        table.Columns.Select(c => (c.Name, c.Type, c.IsNullable)).ToList();

    private static List<string> Keys(IEnumerable<KeyDefinition> keys) =>
        keys.Select(k => string.Join("|", k.Columns)).Order(StringComparer.Ordinal).ToList();
}
