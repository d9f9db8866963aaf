/*
 * JDK 17-23 (java.py compiles this file there; JDK 24+ builds Stopper.java instead): the same
 * cooperative stop as Stopper.java, written with the ASM copy inside java.base, since
 * java.lang.classfile is final only from JDK 24 and ASM left java.base in JDK 25 (JDK-8346986).
 * It replaces Thread.stop, which JDK 20 made throw and which a catch (Throwable) in a loop swallows.
 *
 * Every method entry and every backward branch of the classes a program loads first calls
 * `rlvr-stop`.check() (see Stopper.java for why that class and why a backward branch). The call takes and leaves no operand, so
 * each method's stack maps and max stack are copied unchanged; ASM moves their offsets.
 */
import java.util.*;
import jdk.internal.org.objectweb.asm.*;

final class Stopper {
    static final String HOLDER = "rlvr-stop";
    static final byte[] HOLDER_CLASS = holder();

    /** `classes` (binary name -> bytes) with the checks, plus the holder class. */
    static Map<String, byte[]> instrument(Map<String, byte[]> classes) {
        Map<String, byte[]> out = new HashMap<>();
        for (Map.Entry<String, byte[]> c : classes.entrySet()) {
            ClassReader reader = new ClassReader(c.getValue());
            ClassWriter writer = new ClassWriter(reader, 0);
            reader.accept(new ClassVisitor(Opcodes.ASM8, writer) {
                @Override public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] exceptions) {
                    return new Checks(super.visitMethod(access, name, desc, sig, exceptions));
                }
            }, 0);
            out.put(c.getKey(), writer.toByteArray());
        }
        out.put(HOLDER, HOLDER_CLASS);
        return out;
    }

    /** `classes` with the equality calls of the `tests` among them sent to RlvrEquals (RlvrEquals.java says why). */
    static Map<String, byte[]> trustEquals(Map<String, byte[]> classes, Set<String> tests) {
        Map<String, byte[]> out = new HashMap<>(classes);
        for (String name : tests) {
            ClassReader reader = new ClassReader(classes.get(name));
            ClassWriter writer = new ClassWriter(reader, 0);  // the stack maps stay: the new call takes the same operands
            reader.accept(new ClassVisitor(Opcodes.ASM8, writer) {
                @Override public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] exceptions) {
                    return new MethodVisitor(Opcodes.ASM8, super.visitMethod(access, name, desc, sig, exceptions)) {
                        @Override public void visitMethodInsn(int op, String owner, String name, String type, boolean itf) {
                            String to = RlvrEquals.rewrite(op == Opcodes.INVOKESTATIC, op == Opcodes.INVOKESPECIAL, owner, name, type);
                            if (to == null) super.visitMethodInsn(op, owner, name, type, itf);
                            else super.visitMethodInsn(Opcodes.INVOKESTATIC, "RlvrEquals", to, RlvrEquals.TWO_OBJECTS, false);
                        }
                    };
                }
            }, 0);
            out.put(name, writer.toByteArray());
        }
        return out;
    }

    /** One method's checks: at its entry and before each jump to a label already placed (backward). */
    static final class Checks extends MethodVisitor {
        final Set<Label> placed = new HashSet<>();
        Checks(MethodVisitor next) { super(Opcodes.ASM8, next); }
        void check() { super.visitMethodInsn(Opcodes.INVOKESTATIC, HOLDER, "check", "()V", false); }
        void checkIfBackward(Label first, Label... more) {
            if (placed.contains(first) || Arrays.stream(more).anyMatch(placed::contains)) check();
        }
        @Override public void visitCode() { super.visitCode(); check(); }
        @Override public void visitLabel(Label label) { placed.add(label); super.visitLabel(label); }
        @Override public void visitJumpInsn(int opcode, Label label) { checkIfBackward(label); super.visitJumpInsn(opcode, label); }
        @Override public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
            checkIfBackward(dflt, labels);
            super.visitTableSwitchInsn(min, max, dflt, labels);
        }
        @Override public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
            checkIfBackward(dflt, labels);
            super.visitLookupSwitchInsn(dflt, keys, labels);
        }
    }

    static byte[] holder() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V11, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SYNTHETIC, HOLDER, null, "java/lang/Object", null);
        cw.visitField(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_VOLATILE, "stop", "Z", null, null).visitEnd();
        MethodVisitor m = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "check", "()V", null, null);
        Label go = new Label();
        m.visitCode();
        m.visitFieldInsn(Opcodes.GETSTATIC, HOLDER, "stop", "Z");
        m.visitJumpInsn(Opcodes.IFEQ, go);
        m.visitTypeInsn(Opcodes.NEW, "java/lang/InternalError");
        m.visitInsn(Opcodes.DUP);
        m.visitLdcInsn("stopped: over its limit");
        m.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/InternalError", "<init>", "(Ljava/lang/String;)V", false);
        m.visitInsn(Opcodes.ATHROW);
        m.visitLabel(go);
        m.visitFrame(Opcodes.F_SAME, 0, null, 0, null);
        m.visitInsn(Opcodes.RETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }
}
