using System.Reflection;
using System.Reflection.Emit;

namespace SessionInterop.HeaderGen;

/// <summary>
/// Rules the compiler cannot enforce on an export body:
/// 1. no stackalloc (IL localloc): with the export as the process's first call into the library, the
///    runtime initialises inside that call and the stack-protector cookie check aborts the process;
/// 2. a catch-all handler: an exception escaping an export is a FailFast of the whole host.
/// </summary>
internal static class IlLint
{
    private static readonly Dictionary<short, OpCode> s_opcodes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    internal static void Check(MethodInfo method, string entry)
    {
        MethodBody body = method.GetMethodBody() ?? throw new HeaderGenException($"{entry}: no method body");
        byte[] il = body.GetILAsByteArray() ?? [];
        if (ContainsLocalloc(il)) throw new HeaderGenException($"{entry}: stackalloc in an export aborts on first call; move it into a NoInlining helper");
        bool catchAll = body.ExceptionHandlingClauses.Any(c => c.Flags == ExceptionHandlingClauseOptions.Clause
            && c.CatchType?.FullName is "System.Exception" or "System.Object");
        if (!catchAll) throw new HeaderGenException($"{entry}: the body must be wrapped in try {{ ... }} catch (Exception)");
    }

    private static bool ContainsLocalloc(byte[] il)
    {
        int i = 0;
        while (i < il.Length)
        {
            short value = il[i] == 0xFE && i + 1 < il.Length ? (short)(0xFE00 | il[i + 1]) : il[i];
            if (!s_opcodes.TryGetValue(value, out OpCode op)) throw new HeaderGenException($"unknown IL opcode 0x{value:X}");
            if (op == OpCodes.Localloc) return true;
            i += op.Size + OperandSize(op, il, i + op.Size);
        }
        return false;
    }

    private static int OperandSize(OpCode op, byte[] il, int at) => op.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
        _ => 4,
    };
}
