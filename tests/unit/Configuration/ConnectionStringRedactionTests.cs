using Repl.Configuration;

namespace Repl.Tests.Configuration;

public sealed class ConnectionStringRedactionTests
{
    [Theory]
    // PostgreSQL (Npgsql)
    [InlineData("Host=db;Database=news;Username=repl;Password=s3cret", "Host=db;Database=news;Username=repl;Password=***")]
    [InlineData("Host=db;PSW=s3cret;Username=repl", "Host=db;PSW=***;Username=repl")]
    [InlineData("Host=db;SSL Password=keypass;SSL Mode=Require", "Host=db;SSL Password=***;SSL Mode=Require")]
    // MariaDB/MySQL (MySqlConnector)
    [InlineData("Server=m;User ID=repl;Pwd=s3cret;AllowLoadLocalInfile=true", "Server=m;User ID=repl;Pwd=***;AllowLoadLocalInfile=true")]
    [InlineData("Server=m;PWD=s3cret", "Server=m;PWD=***")]
    [InlineData("Server=m;CertificatePassword=certpass;Database=d", "Server=m;CertificatePassword=***;Database=d")]
    // Oracle (ODP.NET)
    [InlineData("User Id=repl;Password=tiger;Data Source=(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=ora)(PORT=1521))(CONNECT_DATA=(SERVICE_NAME=news)))",
        "User Id=repl;Password=***;Data Source=(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=ora)(PORT=1521))(CONNECT_DATA=(SERVICE_NAME=news)))")]
    [InlineData("User Id=repl;Password=tiger;Proxy User Id=p;Proxy Password=proxy;Data Source=ora:1521/news",
        "User Id=repl;Password=***;Proxy User Id=p;Proxy Password=***;Data Source=ora:1521/news")]
    // SQLite (SQLCipher)
    [InlineData("Data Source=replica.db;Password=cipher", "Data Source=replica.db;Password=***")]
    // Case and spacing variants
    [InlineData("host=db;password=lower", "host=db;password=***")]
    [InlineData("HOST=db;PASSWORD=UPPER", "HOST=db;PASSWORD=***")]
    [InlineData("Host=db; Password = spaced ; Port=5432", "Host=db; Password = *** ; Port=5432")]
    [InlineData("Password=first;Host=db", "Password=***;Host=db")]
    [InlineData("Host=db;Password=", "Host=db;Password=***")]
    [InlineData("Host=db;Password=last;", "Host=db;Password=***;")]
    // Quoted values containing ';', '=', and escaped quotes
    [InlineData("Host=db;Password=\"a;b=c\";Port=1", "Host=db;Password=***;Port=1")]
    [InlineData("Host=db;Password='a;b=c';Port=1", "Host=db;Password=***;Port=1")]
    [InlineData("Host=db;Password='it''s;x';Port=1", "Host=db;Password=***;Port=1")]
    [InlineData("Host=db;Password=\"say \"\"hi\"\";\";Port=1", "Host=db;Password=***;Port=1")]
    [InlineData("Host=db;Password=\"unterminated;Port=1", "Host=db;Password=***")]
    // A quoted non-secret that looks like a password pair is left alone
    [InlineData("Host=db;Application Name=\"Password=not;a key\";Pwd=x", "Host=db;Application Name=\"Password=not;a key\";Pwd=***")]
    // An escaped '=' in a key
    [InlineData("Odd==Key=v;Password=p", "Odd==Key=v;Password=***")]
    // Malformed: a bare word after an unquoted password was probably part of it
    [InlineData("Host=db;Password=abc;def;Port=1", "Host=db;Password=***;Port=1")]
    // URIs
    [InlineData("postgresql://repl:s3cret@db:5432/news", "postgresql://repl:***@db:5432/news")]
    [InlineData("mysql://repl@db/news", "mysql://repl@db/news")]
    public void Password_values_are_replaced_and_the_rest_is_kept(string connectionString, string expected)
    {
        Assert.Equal(expected, ConnectionStrings.Redact(connectionString));
    }

    [Theory]
    [InlineData("Host=db;Database=news;Username=repl")]
    [InlineData("Data Source=replica.db")]
    [InlineData("Host=db;Passfile=/home/repl/.pgpass")]
    [InlineData("Data Source=ora:1521/news;User Id=repl")]
    public void A_connection_string_without_password_is_unchanged(string connectionString)
    {
        Assert.Equal(connectionString, ConnectionStrings.Redact(connectionString));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Nothing_redacts_to_empty(string? connectionString)
    {
        Assert.Equal("", ConnectionStrings.Redact(connectionString));
    }

    [Theory]
    [InlineData("Host=db;Password=\"a;b=c\";Port=1", "a;b=c")]
    [InlineData("Host=db;Password='it''s';Port=1", "it's")]
    [InlineData("Host=db;Pwd=plain", "plain")]
    [InlineData("postgresql://repl:s3cret@db/news", "s3cret")]
    public void Secrets_are_the_unquoted_password_values(string connectionString, string secret)
    {
        Assert.Equal([secret], ConnectionStrings.Secrets(connectionString));
    }

    [Fact]
    public void Scrub_removes_every_secret_longest_first()
    {
        var text = ConnectionStrings.Scrub("login with abcdef failed (abc)", ["abc", "abcdef"]);

        Assert.Equal("login with *** failed (***)", text);
    }
}
