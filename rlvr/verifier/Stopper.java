/*
 * JDK 24+ only (java.lang.classfile; java.py compiles this file there, StopperAsm.java below): a
 * cooperative stop for program code, since Thread.stop is gone (JDK 20 made it throw, JDK 26 removed it).
 *
 * Every method entry and every branch of the classes a program loads (its own and the tests')
 * first calls `rlvr-stop`.check(): a class defined in the program's own loader (its name is not a
 * Java identifier, so no source can declare or shadow it) whose static volatile flag the worker
 * sets once the program is over a limit. check() then throws an InternalError at the next branch:
 * a program that catches it meets it again at its next loop back-edge, so the thread unwinds. A
 * loop inside JDK code (e.g. a regex backtracking) is not instrumented: that worker is restarted,
 * as before. Branches are taken a billion times a second; a volatile read each cost nothing
 * measurable under C1 (200M-iteration loop: 345 ms either way).
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
    static final CodeTransform CHECKS = new CodeTransform() {
        @Override public void atStart(CodeBuilder b) { b.invokestatic(HOLDER_DESC, "check", VOID); }

        @Override public void accept(CodeBuilder b, CodeElement e) {
            if (e instanceof BranchInstruction || e instanceof TableSwitchInstruction || e instanceof LookupSwitchInstruction) {
                b.invokestatic(HOLDER_DESC, "check", VOID);  // takes and leaves no operand: the stack is unchanged
            }
            b.with(e);
        }
    };

    /** `classes` (binary name -> bytes) with the checks, plus the holder class. */
    static Map<String, byte[]> instrument(Map<String, byte[]> classes) {
        ClassHierarchyResolver own = ClassHierarchyResolver.ofResourceParsing(desc -> {
            byte[] b = classes.get(desc.descriptorString().substring(1, desc.descriptorString().length() - 1).replace('/', '.'));
            return b == null ? null : new ByteArrayInputStream(b);
        });  // the stack maps are recomputed, and need the program's own class hierarchy
        ClassFile cf = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver().orElse(own)));
        Map<String, byte[]> out = new HashMap<>();
        for (Map.Entry<String, byte[]> c : classes.entrySet()) {
            out.put(c.getKey(), cf.transformClass(cf.parse(c.getValue()), ClassTransform.transformingMethodBodies(CHECKS)));
        }
        out.put(HOLDER, HOLDER_CLASS);
        return out;
    }
}
