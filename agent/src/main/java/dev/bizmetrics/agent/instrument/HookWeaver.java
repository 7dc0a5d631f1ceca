package dev.bizmetrics.agent.instrument;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Weaves the discovery hooks into a pool class: {@code DataSourceRegistry.used(this)} at the entry of the methods
 * that hand out connections and {@code DataSourceRegistry.created(this)} at the exit of every constructor. Nothing else changes: no field, no method, no
 * change of class format, so the same weaving serves class loading and retransformation after a dynamic attach. A
 * class file that calls the registry already is left as it is, so that a class woven as it was defined (see
 * {@link DefineClassWeaver}) is not woven again by the transformer or a retransformation.
 *
 * <p>Each hook is wrapped in its own {@code catch (Throwable)} that discards the error, the equivalent of Byte
 * Buddy's {@code @Advice.OnMethodEnter(suppress = Throwable.class)}: a class loader that cannot see the registry
 * (an OSGi loader without boot delegation, say) leaves the host's method working as before.
 *
 * <p>Byte Buddy's bundled ASM is used directly rather than its {@code AgentBuilder}: the hook is two instructions,
 * and loading a few dozen ASM classes costs a fraction of Byte Buddy's type-description machinery (see the start-up
 * figures in bench/README.md).
 */
public final class HookWeaver {

    static final String REGISTRY = "dev/bizmetrics/bootstrap/DataSourceRegistry";
    /** What the constructors of the application's Prometheus registries report to. */
    static final String HOST_REGISTRIES = "dev/bizmetrics/bootstrap/HostRegistries";
    static final String THROWABLE = "java/lang/Throwable";

    private HookWeaver() {
    }

    /**
     * Returns the class file with hooks added, or null when no method of it is to be hooked or it has them already.
     *
     * @param entryMethods names of the instance methods that get the hook at their entry
     */
    public static byte[] weave(byte[] classFile, Set<String> entryMethods) {
        return weave(classFile, entryMethods, REGISTRY);
    }

    /**
     * The same with the hooks calling {@code owner} (internal name), which has the same {@code created} and
     * {@code used} methods; a class file that refers to {@code owner} already is left as it is.
     */
    public static byte[] weave(byte[] classFile, Set<String> entryMethods, String owner) {
        if (refersTo(classFile, owner)) {
            return null;
        }
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, 0);
        HookingClassVisitor hooking = new HookingClassVisitor(writer, entryMethods, owner);
        reader.accept(hooking, ClassReader.EXPAND_FRAMES);
        return hooking.changed ? writer.toByteArray() : null;
    }

    /** Whether the registry's name is in the class file: only a class woven already refers to it. */
    static boolean refersToRegistry(byte[] classFile) {
        return refersTo(classFile, REGISTRY);
    }

    private static boolean refersTo(byte[] classFile, String owner) {
        byte[] ownerBytes = owner.getBytes(Charset.forName("US-ASCII"));
        search:
        for (int i = 0, last = classFile.length - ownerBytes.length; i <= last; i++) {
            for (int j = 0; j < ownerBytes.length; j++) {
                if (classFile[i + j] != ownerBytes[j]) {
                    continue search;
                }
            }
            return true;
        }
        return false;
    }

    private static final class HookingClassVisitor extends ClassVisitor {
        private final Set<String> entryMethods;
        private final String hookOwner;
        private String owner;
        private boolean frames;
        boolean changed;

        HookingClassVisitor(ClassVisitor next, Set<String> entryMethods, String hookOwner) {
            super(Opcodes.ASM9, next);
            this.entryMethods = entryMethods;
            this.hookOwner = hookOwner;
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
            if (!constructor && !entryMethods.contains(name)) {
                return next;
            }
            changed = true;
            Object[] locals = frameLocals(owner, descriptor);
            return constructor ? new ConstructorExitHook(next, locals, frames, hookOwner)
                    : new MethodEntryHook(next, locals, frames, hookOwner);
        }
    }

    /** Adds the hook before the method's first instruction, where {@code this} and the parameters are all locals. */
    private static final class MethodEntryHook extends MethodVisitor {
        private final Object[] locals;
        private final boolean frames;
        private final String hookOwner;

        MethodEntryHook(MethodVisitor next, Object[] locals, boolean frames, String hookOwner) {
            super(Opcodes.ASM9, next);
            this.locals = locals;
            this.frames = frames;
            this.hookOwner = hookOwner;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            emitGuardedHook(mv, hookOwner, "used", locals, frames);
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
        private final String hookOwner;

        ConstructorExitHook(MethodVisitor next, Object[] locals, boolean frames, String hookOwner) {
            super(Opcodes.ASM9, next);
            this.locals = locals;
            this.frames = frames;
            this.hookOwner = hookOwner;
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode == Opcodes.RETURN) {
                emitGuardedHook(mv, hookOwner, "created", locals, frames);
            }
            super.visitInsn(opcode);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitMaxs(maxStack + 1, maxLocals);
        }
    }

    /**
     * {@code try { DataSourceRegistry.<hook>(this); } catch (Throwable ignored) { }}. The frames declare only
     * {@code this} and the parameters, which javac never reassigns to another type; later locals are not live
     * across the hook.
     */
    private static void emitGuardedHook(MethodVisitor mv, String owner, String hook, Object[] locals, boolean frames) {
        Label start = new Label();
        Label end = new Label();
        Label handler = new Label();
        Label after = new Label();
        mv.visitTryCatchBlock(start, end, handler, THROWABLE);
        mv.visitLabel(start);
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, owner, hook, "(Ljava/lang/Object;)V", false);
        mv.visitLabel(end);
        mv.visitJumpInsn(Opcodes.GOTO, after);
        emitHandlerAndAfter(mv, locals, frames, handler, after);
    }

    /**
     * The end of a guarded hook: the handler that discards what was thrown, then the label where the method's own
     * code starts, each with its frame when the class file has frames.
     */
    static void emitHandlerAndAfter(MethodVisitor mv, Object[] locals, boolean frames, Label handler, Label after) {
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
    static Object[] frameLocals(String owner, String descriptor) {
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
