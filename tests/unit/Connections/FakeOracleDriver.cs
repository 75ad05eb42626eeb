using System.Data.Common;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using Repl.Connections;

namespace Repl.Tests.Connections;

/// <summary>
/// Writes a stand-in Oracle.ManagedDataAccess.dll (the real one cannot be had here): an assembly of that name with an
/// OracleClientFactory whose static Instance is a DbProviderFactory, which is all repl looks for.
/// </summary>
internal static class FakeOracleDriver
{
    public static string WriteTo(string folder)
    {
        Directory.CreateDirectory(folder);
        var assembly = new PersistedAssemblyBuilder(new AssemblyName(OracleDriver.AssemblyName), typeof(object).Assembly);
        var module = assembly.DefineDynamicModule(OracleDriver.AssemblyName);
        var type = module.DefineType(OracleDriver.FactoryTypeName, TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Class, typeof(DbProviderFactory));
        var constructor = type.DefineDefaultConstructor(MethodAttributes.Public);
        var instance = type.DefineField("Instance", type, FieldAttributes.Public | FieldAttributes.Static | FieldAttributes.InitOnly);
        var il = type.DefineTypeInitializer().GetILGenerator();
        il.Emit(OpCodes.Newobj, constructor);
        il.Emit(OpCodes.Stsfld, instance);
        il.Emit(OpCodes.Ret);
        type.CreateType();
        var path = Path.Combine(folder, OracleDriver.AssemblyName + ".dll");
        assembly.Save(path);
        return path;
    }

    public static string NewFolder([CallerMemberName] string test = "") =>
        Path.Combine(Path.GetTempPath(), "repl-unit-tests", test + "-" + Guid.NewGuid().ToString("N")[..8]);
}
