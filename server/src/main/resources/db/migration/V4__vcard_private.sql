-- vcard-temp (XEP-0054): one vCard per account, kept as the XML the client set.
CREATE TABLE vcards (
    domain   VARCHAR(1023) NOT NULL,
    username VARCHAR(1023) NOT NULL,
    vcard    TEXT          NOT NULL,
    PRIMARY KEY (domain, username),
    FOREIGN KEY (domain, username) REFERENCES accounts (domain, username) ON DELETE CASCADE
);

-- Private XML storage (XEP-0049): one fragment per account and qualified element name.
CREATE TABLE private_xml (
    domain       VARCHAR(1023) NOT NULL,
    username     VARCHAR(1023) NOT NULL,
    namespace    VARCHAR(1023) NOT NULL,
    element_name VARCHAR(1023) NOT NULL,
    fragment     TEXT          NOT NULL,
    PRIMARY KEY (domain, username, namespace, element_name),
    FOREIGN KEY (domain, username) REFERENCES accounts (domain, username) ON DELETE CASCADE
);
