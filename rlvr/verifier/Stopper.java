/*
 * JDK 24+ only (java.lang.classfile; java.py compiles this file there, StopperAsm.java below): a
 * cooperative stop for program code, since Thread.stop is gone (JDK 20 made it throw, JDK 26 removed it).
 *
 * Every method entry and every backward branch of the classes a program loads (its own and the
 * tests') first calls `rlvr-stop`.check(): a class defined in the program's own loader (its name is
 * not a Java identifier, so no source can declare or shadow it) whose static volatile flag the
 * worker sets once the program is over a limit. check() then throws an InternalError: a program
 * that catches it meets it again at its next loop back-edge, so the thread unwinds. Endless code
 * must loop or recurse, and javac builds every loop with a backward branch, so forward branches go
 * unchecked (a branchy loop under C1: 2.4x its plain time with every branch checked, 1.8x with
 * back-edges only). A loop inside JDK code (e.g. a regex backtracking) is not instrumented: that
 * worker is restarted, as before.
 */
import java.io.ByteArrayInputStream;
import java.lang.classfile.*;
import java.lang.classfile.instruction.*;
import java.lang.constant.*;
import java.util.*;

final class Stopper {
    static final String HOLDER = "rlvr-stop";
    static final ClassDesc HOLDER_DESC = ClassDesc.of(HOLDER);
    static final MethodTypeDesc VOID = MethodTypeDesc.of(ConstantDescs.CD_void);
    static final ClassDesc ERROR = ClassDesc.of("java.lang.InternalError");
    static final byte[] HOLDER_CLASS = ClassFile.of().build(HOLDER_DESC, cb -> cb
            .withFlags(ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL | ClassFile.ACC_SYNTHETIC)
            .withField("stop", ConstantDescs.CD_boolean, ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC | ClassFile.ACC_VOLATILE)
            .withMethodBody("check", VOID, ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC, code -> {
                Label go = code.newLabel();
                code.getstatic(HOLDER_DESC, "stop", ConstantDescs.CD_boolean).ifeq(go)
                        .new_(ERROR).dup().ldc("stopped: over its limit")
                        .invokespecial(ERROR, "<init>", MethodTypeDesc.of(ConstantDescs.CD_void, ConstantDescs.CD_String))
                        .athrow().labelBinding(go).return_();
            }));
    /** One method's checks: at its entry and before each jump to a label already placed (backward). */
    static CodeTransform checks() {
        Set<Label> placed = new HashSet<>();
        return new CodeTransform() {
            @Override public void atStart(CodeBuilder b) { b.invokestatic(HOLDER_DESC, "check", VOID); }

            @Override public void accept(CodeBuilder b, CodeElement e) {
                if (e instanceof LabelTarget t) placed.add(t.label());
                List<Label> targets = switch (e) {
                    case BranchInstruction i -> List.of(i.target());
                    case TableSwitchInstruction i -> withDefault(i.defaultTarget(), i.cases());
                    case LookupSwitchInstruction i -> withDefault(i.defaultTarget(), i.cases());
                    default -> List.of();
                };
                if (targets.stream().anyMatch(placed::contains)) {
                    b.invokestatic(HOLDER_DESC, "check", VOID);  // takes and leaves no operand: the stack is unchanged
                }
                b.with(e);
            }
        };
    }

    static List<Label> withDefault(Label dflt, List<SwitchCase> cases) {
        List<Label> all = new ArrayList<>(List.of(dflt));
        cases.forEach(c -> all.add(c.target()));
        return all;
    }

    /** `classes` (binary name -> bytes) with the checks, plus the holder class. */
    static Map<String, byte[]> instrument(Map<String, byte[]> classes) {
        ClassFile cf = classFile(classes);
        Map<String, byte[]> out = new HashMap<>();
        for (Map.Entry<String, byte[]> c : classes.entrySet()) {
            out.put(c.getKey(), cf.transformClass(cf.parse(c.getValue()), ClassTransform.transformingMethodBodies(CodeTransform.ofStateful(Stopper::checks))));
        }
        out.put(HOLDER, HOLDER_CLASS);
        return out;
    }

    /** `classes` with the equality calls of the `tests` among them sent to RlvrEquals (RlvrEquals.java says why). */
    static Map<String, byte[]> trustEquals(Map<String, byte[]> classes, Set<String> tests) {
        ClassFile cf = classFile(classes);
        Map<String, byte[]> out = new HashMap<>(classes);
        for (String name : tests) {
            out.put(name, cf.transformClass(cf.parse(classes.get(name)), ClassTransform.transformingMethodBodies((b, e) -> {
                String to = e instanceof InvokeInstruction i ? RlvrEquals.rewrite(i.opcode() == Opcode.INVOKESTATIC,
                        i.opcode() == Opcode.INVOKESPECIAL, i.owner().asInternalName(), i.name().stringValue(),
                        i.type().stringValue()) : null;
                if (to == null) b.with(e);
                else b.invokestatic(ClassDesc.of("RlvrEquals"), to, MethodTypeDesc.ofDescriptor(RlvrEquals.TWO_OBJECTS));  // same operands
            })));
        }
        return out;
    }

    static ClassFile classFile(Map<String, byte[]> classes) {
        ClassHierarchyResolver own = ClassHierarchyResolver.ofResourceParsing(desc -> {
            byte[] b = classes.get(desc.descriptorString().substring(1, desc.descriptorString().length() - 1).replace('/', '.'));
            return b == null ? null : new ByteArrayInputStream(b);
        });  // the stack maps are recomputed, and need the program's own class hierarchy
        return ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver().orElse(own)));
    }
}
