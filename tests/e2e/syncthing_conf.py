#!/usr/bin/env python3
"""Write the config.xml of headless Syncthing instances for a test: loopback
only (no discovery, relays, NAT, reporting, upgrades), one shared folder.

  syncthing_conf.py FOLDER_ID NAME=HOME,PATH,TYPE,IGNORE_DELETE,PEER[+PEER]...

Each NAME's HOME holds a config.xml from `syncthing generate`; TYPE is
sendonly or receiveonly; IGNORE_DELETE is true or false; PEERs are other
NAMEs this instance talks to."""
import socket, sys, xml.etree.ElementTree as ET

def port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

folder_id = sys.argv[1]
inst = {}
for arg in sys.argv[2:]:
    name, rest = arg.split("=", 1)
    home, path, ftype, ignore_delete, peers = rest.split(",")
    inst[name] = dict(home=home, path=path, type=ftype, ignore_delete=ignore_delete,
                      peers=peers.split("+"))
trees = {h: ET.parse(i["home"] + "/config.xml") for h, i in inst.items()}
ids = {h: tr.getroot().find("device").get("id") for h, tr in trees.items()}
listen = {h: port() for h in inst}
gui = {h: port() for h in inst}
for h, tr in trees.items():
    root = tr.getroot()
    g = root.find("gui"); g.find("address").text = "127.0.0.1:%d" % gui[h]
    g.find("apikey").text = "safeharbor-test-" + h
    o = root.find("options")
    def setopt(k, v):
        e = o.find(k)
        if e is None: e = ET.SubElement(o, k)
        e.text = v
    setopt("listenAddress", "tcp://127.0.0.1:%d" % listen[h])
    for k in ("globalAnnounceEnabled", "localAnnounceEnabled", "relaysEnabled", "natEnabled",
              "startBrowser", "crashReportingEnabled", "announceLANAddresses"):
        setopt(k, "false")
    setopt("urAccepted", "-1")
    setopt("autoUpgradeIntervalH", "0")
    setopt("reconnectionIntervalS", "1")
    for other in inst[h]["peers"]:
        d = ET.Element("device", id=ids[other], name="peer-" + other, compression="metadata",
                       introducer="false", skipIntroductionRemovals="false", introducedBy="")
        ET.SubElement(d, "address").text = "tcp://127.0.0.1:%d" % listen[other]
        ET.SubElement(d, "autoAcceptFolders").text = "false"
        root.insert(1, d)
    f = ET.Element("folder", id=folder_id, label=folder_id, path=inst[h]["path"],
                   type=inst[h]["type"], rescanIntervalS="1", fsWatcherEnabled="true",
                   fsWatcherDelayS="1", ignorePerms="false", autoNormalize="true")
    ET.SubElement(f, "filesystemType").text = "basic"
    for dev in [ids[h]] + [ids[o] for o in inst[h]["peers"]]:
        e = ET.SubElement(f, "device", id=dev, introducedBy="")
        ET.SubElement(e, "encryptionPassword").text = ""
    ET.SubElement(f, "minDiskFree", unit="%").text = "1"
    ET.SubElement(f, "order").text = "oldestFirst"
    ET.SubElement(f, "ignoreDelete").text = inst[h]["ignore_delete"]
    root.insert(0, f)
    tr.write(inst[h]["home"] + "/config.xml")
