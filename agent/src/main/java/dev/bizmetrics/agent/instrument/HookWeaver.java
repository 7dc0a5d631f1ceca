package dev.bizmetrics.agent.instrument;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * Weaves the agent's hooks. Into a pool class: {@code DataSourceRegistry.seen(this)} at the entry of the methods that
 * hand out connections and at the exit of every constructor. Into {@code java.lang.ClassLoader}:
 * {@code DataSourceRegistry.defined(c)} at the entry of {@code postDefineClass}, which runs right after every class a
 * class loader defines (see {@link DefinitionHook}). Nothing else changes: no field, no method, no change of class
 * format, so the same weaving serves class loading, retransformation and redefinition.
 *
 * <p>Each hook is wrapped in its own {@code catch (Throwable)} that discards the error, the equivalent of Byte
 * Buddy's {@code @Advice.OnMethodEnter(suppress = Throwable.class)}: a class loader that cannot see the registry
 * (an OSGi loader without boot delegation, say) leaves the host's method working as before.
 *
 * <p>Byte Buddy's bundled ASM is used directly rather than its {@code AgentBuilder}: the hook is two instructions,
 * and loading a few dozen ASM classes costs a fraction of Byte Buddy's type-description machinery (see
 * ENGINEERING.md, "Start-up budget").
 */
public final class HookWeaver {

    static final String REGISTRY = "dev/bizmetrics/bootstrap/DataSourceRegistry";
    private static final String THROWABLE = "java/lang/Throwable";
    /** {@code DataSourceRegistry.seen(this)}. */
    private static final Call SEEN = new Call(0, "seen", "(Ljava/lang/Object;)V");
    /** {@code DataSourceRegistry.defined(c)}, {@code c} being the first parameter. */
    private static final Call DEFINED = new Call(1, "defined", "(Ljava/lang/Class;)V");
    static final String POST_DEFINE_CLASS = "postDefineClass(Ljava/lang/Class;Ljava/security/ProtectionDomain;)V";

    private HookWeaver() {
    }

    /**
     * Returns the pool class file with hooks added, or null when no method of it is to be hooked.
     *
     * @param entryMethods names of the instance methods that get the hook at their entry
     */
    public static byte[] weave(byte[] classFile, Set<String> entryMethods) {
        return weave(classFile, entryMethods, true, SEEN);
    }

    /** Returns {@code java.lang.ClassLoader}'s class file with the definition hook added, or null if it has no place. */
    static byte[] weaveDefinitionHook(byte[] classLoaderFile) {
        return weave(classLoaderFile, Collections.singleton(POST_DEFINE_CLASS), false, DEFINED);
    }

    private static byte[] weave(byte[] classFile, Set<String> entryMethods, boolean constructors, Call call) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, 0);
        HookingClassVisitor hooking = new HookingClassVisitor(writer, entryMethods, constructors, call);
        reader.accept(hooking, ClassReader.EXPAND_FRAMES);
        return hooking.changed ? writer.toByteArray() : null;
    }

    /** A static call on the registry with one reference argument, taken from a local variable. */
    private static final class Call {
        final int slot;
        final String name;
        final String descriptor;

        Call(int slot, String name, String descriptor) {
            this.slot = slot;
            this.name = name;
            this.descriptor = descriptor;
        }
    }

    private static final class HookingClassVisitor extends ClassVisitor {
        private final Set<String> entryMethods;
        private final boolean constructors;
        private final Call call;
        private String owner;
        private boolean frames;
        boolean changed;

        /** @param entryMethods method names, or names followed by their descriptor, whose entry gets the call */
        HookingClassVisitor(ClassVisitor next, Set<String> entryMethods, boolean constructors, Call call) {
            super(Opcodes.ASM9, next);
            this.entryMethods = entryMethods;
            this.constructors = constructors;
            this.call = call;
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName,
                          String[] interfaces) {
            owner = name;
            frames = (version & 0xFFFF) >= Opcodes.V1_6;
            super.visit(version, access, name, signature, superName, interfaces);
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                         String[] exceptions) {
            MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
            if ((access & (Opcodes.ACC_STATIC | Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
                return next;
            }
            boolean constructor = name.equals("<init>");
            if (constructor ? !constructors : !entryMethods.contains(name) && !entryMethods.contains(name + descriptor)) {
                return next;
            }
            changed = true;
            Object[] locals = frameLocals(owner, descriptor);
            return constructor ? new ConstructorExitHook(next, locals, frames, call)
                    : new MethodEntryHook(next, locals, frames, call);
        }
    }

    /** Adds the hook before the method's first instruction, where {@code this} and the parameters are all locals. */
    private static final class MethodEntryHook extends MethodVisitor {
        private final Object[] locals;
        private final boolean frames;
        private final Call call;

        MethodEntryHook(MethodVisitor next, Object[] locals, boolean frames, Call call) {
            super(Opcodes.ASM9, next);
            this.locals = locals;
            this.frames = frames;
            this.call = call;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            emitGuardedHook(mv, locals, frames, call);
            // The original first instruction may carry a frame of its own; a frame needs an offset of its own.
            mv.visitInsn(Opcodes.NOP);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitMaxs(Math.max(maxStack, 1), maxLocals);
        }
    }

    /** Adds the hook before each {@code return} of a constructor, once {@code this} is initialised. */
    private static final class ConstructorExitHook extends MethodVisitor {
        private final Object[] locals;
        private final boolean frames;
        private final Call call;

        ConstructorExitHook(MethodVisitor next, Object[] locals, boolean frames, Call call) {
            super(Opcodes.ASM9, next);
            this.locals = locals;
            this.frames = frames;
            this.call = call;
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode == Opcodes.RETURN) {
                emitGuardedHook(mv, locals, frames, call);
            }
            super.visitInsn(opcode);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitMaxs(maxStack + 1, maxLocals);
        }
    }

    /**
     * {@code try { DataSourceRegistry.seen(this); } catch (Throwable ignored) { }}, or the call given. The frames
     * declare only {@code this} and the parameters, which javac never reassigns to another type; later locals are not
     * live across the hook.
     */
    private static void emitGuardedHook(MethodVisitor mv, Object[] locals, boolean frames, Call call) {
        Label start = new Label();
        Label end = new Label();
        Label handler = new Label();
        Label after = new Label();
        mv.visitTryCatchBlock(start, end, handler, THROWABLE);
        mv.visitLabel(start);
        mv.visitVarInsn(Opcodes.ALOAD, call.slot);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, REGISTRY, call.name, call.descriptor, false);
        mv.visitLabel(end);
        mv.visitJumpInsn(Opcodes.GOTO, after);
        mv.visitLabel(handler);
        if (frames) {
            mv.visitFrame(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {THROWABLE});
        }
        mv.visitInsn(Opcodes.POP);
        mv.visitLabel(after);
        if (frames) {
            mv.visitFrame(Opcodes.F_NEW, locals.length, locals, 0, new Object[0]);
        }
    }

    /** {@code this} and the parameters as verifier types, one entry per value (long and double included). */
    private static Object[] frameLocals(String owner, String descriptor) {
        List<Object> locals = new ArrayList<Object>();
        locals.add(owner);
        for (Type type : Type.getArgumentTypes(descriptor)) {
            switch (type.getSort()) {
                case Type.BOOLEAN:
                case Type.BYTE:
                case Type.CHAR:
                case Type.SHORT:
                case Type.INT:
                    locals.add(Opcodes.INTEGER);
                    break;
                case Type.FLOAT:
                    locals.add(Opcodes.FLOAT);
                    break;
                case Type.LONG:
                    locals.add(Opcodes.LONG);
                    break;
                case Type.DOUBLE:
                    locals.add(Opcodes.DOUBLE);
                    break;
                case Type.ARRAY:
                    locals.add(type.getDescriptor());
                    break;
                default:
                    locals.add(type.getInternalName());
            }
        }
        return locals.toArray();
    }
}
