package dev.bizmetrics.agent.instrument;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Weaves the definition hook into {@code java.lang.ClassLoader} (see {@link DefinitionHook}). Every class a class
 * loader defines goes through one of two methods, whose entry gets a call that hands the class file to the registry
 * and takes back the one to define: the same, or a woven copy for a pool class.
 * <pre>
 * defineClass(String name, byte[] b, int off, int len, ProtectionDomain pd):
 *     try { byte[] w = DataSourceRegistry.defining(name, b, off, len); if (w != b) { b = w; len = w.length; off = 0; } }
 *     catch (Throwable ignored) { }
 * defineClass(String name, ByteBuffer b, ProtectionDomain pd):
 *     try { b = DataSourceRegistry.defining(name, b); } catch (Throwable ignored) { }
 * </pre>
 * The other {@code defineClass} methods call one of these two. Nothing else changes, as a redefinition requires.
 */
final class DefineClassWeaver {

    static final String FROM_BYTES =
            "defineClass(Ljava/lang/String;[BIILjava/security/ProtectionDomain;)Ljava/lang/Class;";
    static final String FROM_BUFFER =
            "defineClass(Ljava/lang/String;Ljava/nio/ByteBuffer;Ljava/security/ProtectionDomain;)Ljava/lang/Class;";

    private DefineClassWeaver() {
    }

    /** The class file with both hooks added, or null unless it has both methods. */
    static byte[] weave(byte[] classLoaderFile) {
        ClassReader reader = new ClassReader(classLoaderFile);
        ClassWriter writer = new ClassWriter(reader, 0);
        HookingClassVisitor hooking = new HookingClassVisitor(writer);
        reader.accept(hooking, ClassReader.EXPAND_FRAMES);
        return hooking.hooked == 2 ? writer.toByteArray() : null;
    }

    private static final class HookingClassVisitor extends ClassVisitor {
        private String owner;
        int hooked;

        HookingClassVisitor(ClassVisitor next) {
            super(Opcodes.ASM9, next);
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName,
                          String[] interfaces) {
            owner = name;
            super.visit(version, access, name, signature, superName, interfaces);
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                         String[] exceptions) {
            MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
            String method = name + descriptor;
            final boolean fromBytes = method.equals(FROM_BYTES);
            if (!fromBytes && !method.equals(FROM_BUFFER)) {
                return next;
            }
            hooked++;
            final Object[] locals = HookWeaver.frameLocals(owner, descriptor);
            return new MethodVisitor(Opcodes.ASM9, next) {
                @Override
                public void visitCode() {
                    super.visitCode();
                    if (fromBytes) {
                        emitBytesHook(mv, locals);
                    } else {
                        emitBufferHook(mv, locals);
                    }
                    // The original first instruction may carry a frame of its own; a frame needs an offset of its own.
                    mv.visitInsn(Opcodes.NOP);
                }

                @Override
                public void visitMaxs(int maxStack, int maxLocals) {
                    super.visitMaxs(Math.max(maxStack, 5), maxLocals);
                }
            };
        }
    }

    /** Locals: 0 this, 1 name, 2 b, 3 off, 4 len, 5 pd. */
    private static void emitBytesHook(MethodVisitor mv, Object[] locals) {
        Label start = new Label();
        Label end = new Label();
        Label handler = new Label();
        Label unchanged = new Label();
        Label after = new Label();
        mv.visitTryCatchBlock(start, end, handler, HookWeaver.THROWABLE);
        mv.visitLabel(start);
        mv.visitVarInsn(Opcodes.ALOAD, 2);
        mv.visitVarInsn(Opcodes.ALOAD, 1);
        mv.visitVarInsn(Opcodes.ALOAD, 2);
        mv.visitVarInsn(Opcodes.ILOAD, 3);
        mv.visitVarInsn(Opcodes.ILOAD, 4);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, HookWeaver.REGISTRY, "defining", "(Ljava/lang/String;[BII)[B", false);
        mv.visitInsn(Opcodes.DUP_X1);                       // w, b, w
        mv.visitJumpInsn(Opcodes.IF_ACMPEQ, unchanged);     // w
        mv.visitInsn(Opcodes.DUP);
        mv.visitVarInsn(Opcodes.ASTORE, 2);
        mv.visitInsn(Opcodes.ARRAYLENGTH);
        mv.visitVarInsn(Opcodes.ISTORE, 4);
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitVarInsn(Opcodes.ISTORE, 3);
        mv.visitJumpInsn(Opcodes.GOTO, after);
        mv.visitLabel(unchanged);
        mv.visitFrame(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {"[B"});
        mv.visitInsn(Opcodes.POP);
        mv.visitLabel(end);
        mv.visitJumpInsn(Opcodes.GOTO, after);
        HookWeaver.emitHandlerAndAfter(mv, locals, true, handler, after);
    }

    /** Locals: 0 this, 1 name, 2 b, 3 pd. */
    private static void emitBufferHook(MethodVisitor mv, Object[] locals) {
        Label start = new Label();
        Label end = new Label();
        Label handler = new Label();
        Label after = new Label();
        mv.visitTryCatchBlock(start, end, handler, HookWeaver.THROWABLE);
        mv.visitLabel(start);
        mv.visitVarInsn(Opcodes.ALOAD, 1);
        mv.visitVarInsn(Opcodes.ALOAD, 2);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, HookWeaver.REGISTRY, "defining",
                "(Ljava/lang/String;Ljava/nio/ByteBuffer;)Ljava/nio/ByteBuffer;", false);
        mv.visitVarInsn(Opcodes.ASTORE, 2);
        mv.visitLabel(end);
        mv.visitJumpInsn(Opcodes.GOTO, after);
        HookWeaver.emitHandlerAndAfter(mv, locals, true, handler, after);
    }
}
