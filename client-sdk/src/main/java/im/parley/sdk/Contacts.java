package im.parley.sdk;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.filter.PresenceTypeFilter;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.RosterEntry;
import org.jivesoftware.smack.roster.RosterListener;
import org.jivesoftware.smack.roster.RosterLoadedListener;
import org.jivesoftware.smack.roster.packet.RosterPacket;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/**
 * The user's contact list (roster, RFC 6121 §2) with presence subscriptions (§3) and contacts'
 * presence (§4). Get it from {@link ChatClient#contacts()}.
 *
 * <p>Adding a contact asks to see its presence; the contact accepts or denies. A request from
 * someone the user added (or asked to see) is accepted automatically, so two people who add
 * each other end up seeing each other's presence without a second question.
 */
public final class Contacts {
    private final ChatClient client;
    private final Executor executor;
    private final List<Consumer<EntityBareJid>> requestListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<PresenceUpdate>> presenceListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();
    /** Requests not yet accepted or denied, replayed to listeners registered later. */
    private final Set<EntityBareJid> pendingRequests = new LinkedHashSet<>();

    Contacts(ChatClient client, Executor executor) {
        this.client = client;
        this.executor = executor;
    }

    /**
     * The contacts, sorted by address.
     *
     * @throws ChatException if not logged in or the server does not answer
     */
    public List<Contact> list() throws ChatException {
        Roster roster = loadedRoster();
        List<Contact> contacts = new ArrayList<>();
        for (RosterEntry entry : roster.getEntries()) {
            EntityBareJid jid = entry.getJid().asEntityBareJidIfPossible();
            if (jid != null) {
                contacts.add(new Contact(jid, entry.getName(), subscription(entry.getType()),
                        entry.isSubscriptionPending()));
            }
        }
        contacts.sort(Comparator.comparing(contact -> contact.jid().toString()));
        return contacts;
    }

    /** {@link #list()} in the background. */
    public CompletableFuture<List<Contact>> listAsync() {
        return Async.run(executor, this::list);
    }

    /**
     * Adds a contact and asks to see its presence (RFC 6121 §2.3, §3.1.1).
     *
     * @param name a display name, or {@code null}
     */
    public void add(EntityBareJid contact, String name) throws ChatException {
        Roster roster = loadedRoster();
        try {
            roster.createItemAndRequestSubscription(contact, name, null);
        } catch (Exception e) {
            throw SmackErrors.request(e, "adding " + contact);
        }
    }

    /** {@link #add(EntityBareJid, String)} in the background. */
    public CompletableFuture<Void> addAsync(EntityBareJid contact, String name) {
        return Async.run(executor, () -> {
            add(contact, name);
            return null;
        });
    }

    /**
     * Removes a contact; both presence subscriptions end (RFC 6121 §2.5.2). Removing someone not
     * on the list does nothing.
     */
    public void remove(EntityBareJid contact) throws ChatException {
        Roster roster = loadedRoster();
        RosterEntry entry = roster.getEntry(contact);
        if (entry == null) {
            return;
        }
        try {
            roster.removeEntry(entry);
        } catch (Exception e) {
            throw SmackErrors.request(e, "removing " + contact);
        }
    }

    /** {@link #remove(EntityBareJid)} in the background. */
    public CompletableFuture<Void> removeAsync(EntityBareJid contact) {
        return Async.run(executor, () -> {
            remove(contact);
            return null;
        });
    }

    /**
     * Accepts a request to see the user's presence (RFC 6121 §3.1.4, "subscribed") and, unless
     * already done, asks to see the requester's presence in return.
     */
    public void accept(EntityBareJid requester) throws ChatException {
        Roster roster = loadedRoster();
        answer(requester, Presence.Type.subscribed);
        if (!roster.iAmSubscribedTo(requester)) {
            RosterEntry entry = roster.getEntry(requester);
            if (entry == null || !entry.isSubscriptionPending()) {
                add(requester, entry == null ? null : entry.getName());
            }
        }
    }

    /** Denies a request to see the user's presence (RFC 6121 §3.1.4, "unsubscribed"). */
    public void deny(EntityBareJid requester) throws ChatException {
        answer(requester, Presence.Type.unsubscribed);
    }

    /**
     * Calls {@code listener} with each address asking to see the user's presence; answer with
     * {@link #accept} or {@link #deny}. Requests received before the listener was registered and
     * not yet answered are passed to it at once.
     */
    public Cancellable onSubscriptionRequest(Consumer<EntityBareJid> listener) {
        List<EntityBareJid> waiting;
        synchronized (pendingRequests) {
            requestListeners.add(listener);
            waiting = List.copyOf(pendingRequests);
        }
        waiting.forEach(listener);
        return () -> requestListeners.remove(listener);
    }

    /** A contact's current presence; {@link Availability#OFFLINE} if unknown. */
    public PresenceUpdate presenceOf(EntityBareJid contact) throws ChatException {
        return Presences.fromStanza(contact, client.roster().getPresence(contact));
    }

    /** Calls {@code listener} whenever a contact's presence changes (RFC 6121 §4.4). */
    public Cancellable onPresence(Consumer<PresenceUpdate> listener) {
        presenceListeners.add(listener);
        return () -> presenceListeners.remove(listener);
    }

    /** Calls {@code listener} whenever the contact list changes (RFC 6121 §2.1.6 roster push). */
    public Cancellable onChange(Runnable listener) {
        changeListeners.add(listener);
        return () -> changeListeners.remove(listener);
    }

    /**
     * Hooks a new connection and its Smack roster (in manual subscription mode); called once per
     * connection. Subscription requests are decided by a synchronous stanza listener, not by
     * Smack's {@code SubscribeListener}: Smack calls that one on a thread of its own as soon as
     * the request arrives, while the roster pushes that came before it (RFC 6121 §2.1.6: the
     * user's own request, the contact's approval) may still wait on the connection's ordered
     * thread. It then saw a contact the user had asked as a stranger and left the request to the
     * app, so two people adding each other sometimes never saw each other's presence. The ordered
     * thread handles the pushes and this listener in the order they arrived.
     */
    void attach(XMPPConnection connection, Roster roster) {
        connection.addSyncStanzaListener(request -> subscriptionRequested(connection, roster, request.getFrom()),
                PresenceTypeFilter.SUBSCRIBE);
        roster.addRosterListener(new RosterListener() {
            @Override
            public void entriesAdded(Collection<Jid> addresses) {
                changed();
            }

            @Override
            public void entriesUpdated(Collection<Jid> addresses) {
                changed();
            }

            @Override
            public void entriesDeleted(Collection<Jid> addresses) {
                changed();
            }

            @Override
            public void presenceChanged(Presence presence) {
                EntityBareJid contact = presence.getFrom().asEntityBareJidIfPossible();
                if (contact != null) {
                    PresenceUpdate update = Presences.fromStanza(contact, roster.getPresence(contact));
                    presenceListeners.forEach(listener -> listener.accept(update));
                }
            }
        });
    }

    /**
     * RFC 6121 §3.1.3: a request from someone the user asked to see, or already sees, is approved
     * at once; any other is handed to the app's listeners, on another thread since they may block
     * (in {@link #accept}, say), and kept until answered.
     */
    private void subscriptionRequested(XMPPConnection connection, Roster roster, Jid from)
            throws SmackException.NotConnectedException, InterruptedException {
        EntityBareJid requester = from == null ? null : from.asEntityBareJidIfPossible();
        if (requester == null) {
            if (from != null) {
                connection.sendStanza(presence(connection, from, Presence.Type.unsubscribed));
            }
            return;
        }
        RosterEntry entry = roster.getEntry(requester);
        if (entry != null && (entry.canSeeHisPresence() || entry.isSubscriptionPending())) {
            connection.sendStanza(presence(connection, requester, Presence.Type.subscribed));
            return;
        }
        List<Consumer<EntityBareJid>> listeners;
        synchronized (pendingRequests) {
            pendingRequests.add(requester);
            listeners = List.copyOf(requestListeners);
        }
        try {
            executor.execute(() -> listeners.forEach(listener -> listener.accept(requester)));
        } catch (RejectedExecutionException closed) {
            // The client is closed: nobody is listening any more.
        }
    }

    private static Presence presence(XMPPConnection connection, Jid to, Presence.Type type) {
        return connection.getStanzaFactory().buildPresenceStanza().to(to).ofType(type).build();
    }

    private void answer(EntityBareJid requester, Presence.Type type) throws ChatException {
        var connection = client.requireConnection();
        try {
            connection.sendStanza(presence(connection, requester, type));
        } catch (SmackException.NotConnectedException | InterruptedException e) {
            throw SmackErrors.request(e, "answering " + requester);
        }
        synchronized (pendingRequests) {
            pendingRequests.remove(requester);
        }
    }

    private void changed() {
        changeListeners.forEach(Runnable::run);
    }

    /**
     * The roster, once loaded. Smack requests it at login (RFC 6121 §2.2): asking again while that
     * answer is on its way would race with it, and with pushes: a result handled after a push
     * (each runs on its own thread) drops the item the push added. So the login's request is
     * awaited, and only asked again if it failed or never came.
     */
    private Roster loadedRoster() throws ChatException {
        Roster roster = client.roster();
        try {
            if (!roster.isLoaded() && !loadedWithin(roster, client.replyTimeout())) {
                roster.reloadAndWait();
            }
        } catch (Exception e) {
            throw SmackErrors.request(e, "loading the contact list");
        }
        return roster;
    }

    private static boolean loadedWithin(Roster roster, Duration timeout) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        RosterLoadedListener listener = new RosterLoadedListener() {
            @Override
            public void onRosterLoaded(Roster loaded) {
                done.countDown();
            }

            @Override
            public void onRosterLoadingFailed(Exception exception) {
                done.countDown();
            }
        };
        roster.addRosterLoadedListener(listener);
        try {
            return roster.isLoaded() || done.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && roster.isLoaded();
        } finally {
            roster.removeRosterLoadedListener(listener);
        }
    }

    private static Contact.Subscription subscription(RosterPacket.ItemType type) {
        return switch (type) {
            case to -> Contact.Subscription.TO;
            case from -> Contact.Subscription.FROM;
            case both -> Contact.Subscription.BOTH;
            default -> Contact.Subscription.NONE;
        };
    }
}
