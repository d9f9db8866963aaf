/*
 * JDK 17-23 only (java.py compiles this file there): the worker's SecurityManager, layer 3 of
 * rlvr/verifier/sandbox.py. JDK 24+ cannot install one, and the API is deprecated for removal, so
 * Worker.java never names it: it calls Guard.install() by reflection.
 *
 * Stack inspection denies program code (Javac.MemLoader.PROGRAM_DOMAIN: only reading properties)
 * exit, exec, network, files, env, setIO, reflection past access checks and class loaders; a
 * program thread may touch only its own thread group, and may not start threads.
 */
import java.security.*;

@SuppressWarnings({"removal", "deprecation"})
final class Guard extends SecurityManager {
    static final Permission MODIFY_THREAD = new RuntimePermission("modifyThread");
    static final Permission MODIFY_GROUP = new RuntimePermission("modifyThreadGroup");

    static boolean install() {
        try {
            // Everything but program classes (Javac.MemLoader.PROGRAM_DOMAIN) is trusted.
            Policy.setPolicy(new Policy() {
                @Override public boolean implies(ProtectionDomain domain, Permission permission) { return true; }
            });
            System.setSecurityManager(new Guard());
            return true;
        } catch (UnsupportedOperationException | SecurityException e) {
            return false;  // -Djava.security.manager=disallow
        }
    }

    static boolean trusted() { return Worker.TRUSTED.get() == Boolean.TRUE; }

    /** The calling program thread's own group, or null. (No getParent(): it calls checkAccess.) */
    static ThreadGroup programGroup() {
        ThreadGroup own = Worker.OWN_GROUP.get();
        return own != null && own.parentOf(Thread.currentThread().getThreadGroup()) ? own : null;
    }

    @Override public void checkPermission(Permission p) { if (!trusted()) AccessController.checkPermission(p); }
    @Override public void checkPermission(Permission p, Object context) { if (!trusted()) super.checkPermission(p, context); }

    @Override public void checkAccess(Thread t) {
        if (trusted()) return;
        ThreadGroup own = programGroup();
        if (own == null) AccessController.checkPermission(MODIFY_THREAD);
        else if (t.getThreadGroup() == null || !own.parentOf(t.getThreadGroup())) throw new SecurityException("program may not touch thread " + t.getName());
    }

    @Override public void checkAccess(ThreadGroup g) {
        if (trusted()) return;
        ThreadGroup own = programGroup();
        if (own == null) AccessController.checkPermission(MODIFY_GROUP);
        else if (!own.parentOf(g)) throw new SecurityException("program may not touch thread group " + g.getName());
        else if (own.activeCount() >= 1) throw new SecurityException("program may not start threads");
    }
}
